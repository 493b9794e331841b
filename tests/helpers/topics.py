"""The knowledge ids the product issue requires, shared by the meta-tests and the end-to-end tests."""

REQUIRED_IDS = [
    "ehc-needs-assessment-request", "ehc-assessment-timescales", "ehc-refusal-to-assess", "ehc-draft-plan",
    "ehc-annual-review", "ehc-phase-transfer", "sen-support-in-school", "tribunal-appeal-rights",
    "tribunal-deadlines", "mediation", "tribunal-process", "disability-discrimination-claim", "complaint-school",
    "complaint-council", "complaint-health", "health-waiting-times", "contact-sendiass", "contact-pact",
    "contact-council-send-team", "national-advice-services", "school-exclusion", "school-attendance-anxiety",
    "school-transport", "post-16", "crisis",
]
