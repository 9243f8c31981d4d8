"""The bus side of sync: identity, enrolment and (issue 6) the sync agent."""
