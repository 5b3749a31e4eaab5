"""The audit dossier: a period of records for the inspector and the auditor."""
