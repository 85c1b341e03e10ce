"""Reports of a change in a family's situation (二(二), 三(二) of 豫政办〔2022〕103号).

The village finds and reports changes; the township checks them. A report (birth, marriage,
a member moving in or out, a job found or lost, income up or down, serious illness, a disability
certificate, school entry, a disaster, a death) updates the registry through its services and,
where the change may affect eligibility, puts the household in the township's check queue (a
``ReviewSchedule`` of kind 情况变化核查, or the death re-check). Depends on registry and
determination; nothing below depends on it.
"""
