"""The public pages (no login): self-declaration, tip-off, tip-off follow-up, and the region
picker's data. They never read any personal data back: the answer to a submission is a case
number, the same whether the person is registered or not, and the follow-up shows a status."""
