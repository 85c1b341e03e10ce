"""The household economic-status verification report (核对报告): the registry's household
compared with the latest stored batch of each department source, issued as a numbered PDF and
kept as issued, inside the region scope."""
