"""Every change to a dossier: one transaction each, with its event and audit entry."""
