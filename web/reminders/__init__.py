"""The reminder job as officers see it: the admin page of runs and digests, and the warning on
every page when the job looks stopped."""
