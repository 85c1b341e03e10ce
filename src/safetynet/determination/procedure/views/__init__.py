"""Screens of the determination procedure: work queues, case pages, the new application and one
small form per procedure action. Each view checks the capability (403), fetches the case through
the scoped selectors (404 outside the user's region), calls one service and shows what it
refused beside the field it concerns."""
