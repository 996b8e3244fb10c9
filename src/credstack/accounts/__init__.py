"""Accounts: users, organizations (= providers), roles, sessions, API tokens, policy, audit."""
