"""Oversight (五(四) and 二 of 豫政办〔2022〕103号): the township's public notice board, residents'
self-declarations of hardship (自主申报) and tip-offs (举报) received on public pages without login,
their handling by the township, recoveries (追回) of assistance obtained by fraud or paid after
eligibility ended with the household's credit mark (信用), and the county's oversight settings
(the tip-off telephone, local time limits). Reads registry, determination and monitoring through
their services and selectors; nothing below depends on it (the household and case pages show its
credit panel through a template tag, ``oversight_tags``).
"""
