"""What the apps above programs do when a program's membership changes.

programs imports no app above it; an app that keeps per-member data (sessions
keeps who facilitates each session) registers a function here from its
AppConfig.ready(). Each runs inside the service's transaction.
"""

# f(membership) before a member is removed from the program.
membership_removing = []
