"""Time limits (办理时限) versioned by region: the limits in force for a region on a date
(``selectors``, by the policy app's one resolver of versioned settings), recording and
withdrawing versions (``services``), and their page at /determination/limits/."""
