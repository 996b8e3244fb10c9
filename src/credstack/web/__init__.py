"""The server-rendered portal: search, credential pages (the whole CIS), comparison."""
