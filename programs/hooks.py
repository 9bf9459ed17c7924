"""What the apps above programs do when a program's membership changes.

programs imports no app above it; an app that keeps per-member data (sessions
keeps who facilitates each session) registers a function here from its
AppConfig.ready(). Each runs inside the service's transaction.
"""

# f(membership) before a member is removed from the program.
membership_removing = []

# f(request, program) -> [url, …]: the pages a facilitator needs with no
# signal ("Siapkan untuk offline": today's rolls, checklists, survey forms).
# Each app above lists its own pages; the program's manifest joins them.
offline_pages = []
