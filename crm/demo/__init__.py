"""A fictional council area for trying Weaver out: places, groups, people and a year of history."""
