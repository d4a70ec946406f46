"""The rules of the domain, in pure Python: no Django, nothing else of docket."""
