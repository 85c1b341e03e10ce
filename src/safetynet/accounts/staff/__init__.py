"""System management in the platform's own pages (系统设置): accounts, passwords, API tokens and
department offices, each administrator within their own region. Django's admin stays for
technical staff."""
