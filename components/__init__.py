"""Custom Rasa NLU graph components (the only Rasa-side code outside actions/)."""
