"""What the demo's groups say online: templates that read like real community posts."""

from __future__ import annotations

POSITIVE = [
    "Huge thanks to everyone who came to our open day on Saturday, a brilliant turnout!",
    "Delighted to share that our volunteers gave over 400 hours this month. Amazing people.",
    "Lovely to welcome the new ward councillors today. Thank you for listening.",
    "Great news: we have been awarded funding to keep our sessions running next year!",
    "Thank you @{council} for the support with the hall repairs. Wonderful to be back.",
    "Our summer programme was a fantastic success. Thank you to all our partners.",
    "So proud of our young people who ran the whole event themselves today.",
    "A warm, happy afternoon at our community lunch. Thank you to the kitchen team!",
]
NEUTRAL = [
    "Reminder: our drop-in runs every Tuesday from 10am to 2pm at the usual venue.",
    "We are recruiting volunteers for the winter. Details on our website.",
    "Our annual general meeting is on the 14th. All members are welcome to attend.",
    "Opening hours over the holidays are now on our website.",
    "@{council} when will the consultation on the new community centre open?",
    "Does anyone know who to contact at @{council} about hall bookings?",
    "New timetable for our classes starts next week.",
    "We will be at the market square on Saturday with information about our services.",
]
NEGATIVE = [
    "Really disappointed that the bus route to our centre is being cut. Awful for older members.",
    "@{council} the bins outside the hall have not been collected for three weeks. Terrible.",
    "Worried about our funding after March. We may have to close the Thursday session.",
    "Sad news: the lunch club will stop running from next month unless we find a new venue.",
    "Frustrated that nobody from @{council} has replied about the flooding in the car park.",
    "Demand at the food bank is the highest it has ever been. This is a crisis for families.",
]

MEETING_NOTES = [
    "Met at their office to talk through the funding bid. They want a letter of support.",
    "Catch-up on the winter programme; numbers are up, volunteers stretched.",
    "Joint planning meeting for the community festival.",
    "Discussed the lease renewal for the hall; legal team to be looped in.",
]
CALL_NOTES = [
    "Quick call about the consultation; they will share it with members.",
    "Rang to check in after the flooding. Building is fine, some equipment lost.",
    "Call about volunteer DBS checks; pointed them to the CVS training.",
]
EMAIL_NOTES = [
    "Sent the grant guidance and deadlines.",
    "Emailed the ward councillor's introduction as promised.",
    "Shared the cost of living support leaflet for their newsletter.",
]
EVENT_NOTES = [
    "Saw them at the CVS network lunch; keen to work on the youth strategy.",
    "Spoke at their open day. Good turnout, lots of questions about parking.",
    "Stall at the community fair; they asked about small grants.",
]
COFFEE_NOTES = [
    "Coffee after the partnership board. Worried about staff burnout.",
    "Informal chat over coffee about the new chair and their plans.",
]
FOLLOW_UP_NOTES = [
    "Send the letter of support",
    "Introduce them to the housing team",
    "Check whether the grant application went in",
    "Reply about the hall booking question",
    "Share the consultation link",
    "Book a visit to the new premises",
]

# Posts the cost-of-living listening query finds from people and groups who are not contacts:
# they wait in the review queue for an officer to decide what they are.
UNKNOWN_AUTHORS = [
    ("millbrook_pantry_demo", "Millbrook Community Pantry"),
    ("warmspace_eastgate_demo", "Eastgate Warm Space"),
    ("jo_from_ashby_demo", "Jo"),
    ("brackenford_mums_demo", "Brackenford Mums Network"),
    ("riverside_repair_cafe_demo", "Riverside Repair Café"),
    ("k_patel_demo", "K Patel"),
]
OVERHEARD = [
    "We have opened a warm space at the scout hut every Wednesday. Tea, biscuits, wifi.",
    "Food bank shelves are nearly empty in Millbrook. Can anyone help before Friday?",
    "Does anyone know if there is a warm space near Eastgate open at weekends?",
    "Our cost of living advice session had 40 families today. Heartbreaking but hopeful.",
    "@{council} is there any help with heating costs for community halls this winter?",
    "Free repair cafe this Saturday: bring your broken kettles and coats. Cost of living tips.",
    "The food bank queue was round the block again. This cannot go on.",
]
