"""Evidence (证据): photos, audio, video and document files bound to a step of a case, hashed
(SHA-256 + SM3) while the bytes stream in, stored content-addressed, recorded in the ledger in
the upload's own transaction, watched by a fixity sweep, and opened only through views that
record who looked at them and why (chain of custody). Recording rules say which steps need
which recordings and block the case's transitions until they exist. See docs/evidence.md.
"""
