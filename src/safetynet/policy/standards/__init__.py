"""Local standards (地方标准) by region and effective date: the figures in force for a region on a
date and where each comes from (``selectors``, by the one resolver in ``policy.common``), new
versions and the shipped Henan data files (``services``), and their page at /policy/standards/
and API at /api/standards/."""
