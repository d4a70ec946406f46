"""A Django database backend for SQLite files encrypted with SQLCipher (docs/encryption.md).

``ENGINE = "docket.records.sqlcipher"``: Django's SQLite backend, connected through the
``sqlcipher3`` module, which keys every new connection with ``PRAGMA key`` before anything
else. The passphrase is never in the settings: ``passphrase.current()`` gives it from the
process (held after the first use), ``DOCKET_PASSPHRASE``, the file named by
``DOCKET_KEY_FILE``, or a prompt the command line installs.
"""
