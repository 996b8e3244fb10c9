"""Learning outcome -> competency suggestions (lexical + semantic) and occupations."""
