"""Open Badges 3.0 / W3C VC 2.0: the cryptographic and verification core (no storage).

Modules (each one job):

- ``loader``: offline JSON-LD document loader over the bundled contexts
  (``contexts/index.json``, origins in ``contexts/SOURCES.md``); unknown URL ->
  ``ContextRefused``. Constants ``VC_V2``, ``OB_V3P0``, ``CLR_V2P0``, ``CREDSTACK_V1``.
- ``limits``: ``Limits(...)`` (bytes, depth, values, array items, quads, blank nodes,
  hashing steps, seconds), ``check_shape(value, limits)``, ``deadline(limits)`` (one
  wall-clock bound over all JSON-LD work inside it).
- ``expansion``: JSON-LD expansion in safe mode, ``expand_safely(document)``: every
  member canonicalization would drop is an ``InvalidJsonLd`` naming its path.
- ``canonical``: RDFC-1.0 with correct N-Quads escaping and work limits.
  ``canonicalize(document, limits=DEFAULT_LIMITS) -> str``, ``escape_literal(text)``.
- ``multibase``: ``encode_base58btc / decode_base58btc``, ``encode_base64url /
  decode_base64url``, ``encode_ed25519_multikey / decode_ed25519_multikey``.
- ``keys``: ``generate_private_key()``, ``save_private_key(key, path, *, passphrase=None)``
  (new file, mode 0600, PKCS#8 PEM), ``load_private_key(path, *, passphrase=None)``,
  ``public_key_multibase(public_key)``, ``SigningKey(private_key, verification_method)``.
- ``did``: ``did_key(public_key)``, ``did_key_signing_key(private_key) -> SigningKey``,
  ``resolve_did_key(did)``, ``did_web_from_url(url)``, ``did_web_document_url(did)``,
  ``did_web_signing_key(did, private_key)``, ``build_did_web_document(did, public_keys,
  *, retired=())`` (rotation: list every key, newest first), ``DidResolver`` (protocol:
  ``resolve(did) -> dict``), ``OfflineResolver(documents={did: doc}, fetch_json=None)``,
  ``resolve_verification_method(did_url, resolver) -> VerificationKey``.
- ``proof``: ``sign_data_integrity(credential, key, *, created=None) -> dict`` and
  ``verify_data_integrity(credential, resolver) -> ProofResult`` (eddsa-rdfc-2022;
  every proof of a proof set must verify).
- ``jwt``: ``sign_jwt(credential, key) -> str`` and ``verify_jwt(token, resolver) ->
  JwtResult`` (VC-JWT, EdDSA); ``read_jwt(token)`` for display (unverified).
- ``achievement``: ``Profile``, ``RubricCriterion``, ``RubricLevel``,
  ``build_achievement(record, *, achievement_id, creator=None, rubric=(), version=None)``
  from a ``credstack.domain.credential.MicroCredential``.
- ``credential``: ``Recipient(identifier, identity_type="emailAddress", salt=...,
  subject_id=None)``,
  ``CriterionResult``, ``EvidenceItem``, ``Award(recipient, valid_from, valid_until=None,
  awarded_date=None, credential_id=..., results=(), evidence=(), credential_status=None)``,
  ``build_open_badge_credential(achievement, issuer, award)``,
  ``build_endorsement_credential(*, endorser, endorsed_id, comment, valid_from, ...)``,
  ``build_clr_credential(*, issuer, recipient, credentials, valid_from, name, associations=())``.
- ``status``: ``StatusList(length=131072)`` with ``get/set/encode/decode``,
  ``status_entry(list_url, index, purpose)``, ``status_list_credential(*, list_id, issuer,
  purpose, status_list, valid_from)`` (sign it with ``sign_data_integrity``),
  ``StatusListFetcher = Callable[[url], dict]``.
- ``schema``: ``structure_problems(credential) -> list[str]`` (OB 3.0 JSON Schema etc.).
- ``verify``: ``verify_credential(credential_or_text_or_jwt, *, resolver=None,
  status_fetcher=None, status_reasons=None, trusted_issuers=None, now=None,
  limits=DEFAULT_LIMITS) -> VerificationReport`` (``.verified``, ``.checks`` [name,
  passed (None: not run), reason], ``.to_json()``); never raises for bad input.
- ``verify_pool``: ``POOL.submit(work, size=bytes)``, two bounded lanes of workers;
  ``PoolBusy(retry_after)`` when a lane is full.

Typical issuance::

    key = did_key_signing_key(load_private_key(path, passphrase=secret))
    issuer = Profile(key.controller, "Royal Roads University")
    achievement = build_achievement(record, achievement_id=url, creator=issuer, rubric=rubric)
    unsigned = build_open_badge_credential(achievement, issuer, Award(Recipient(email), now,
        credential_status=status_entry(list_url, index, "revocation")))
    badge = sign_data_integrity(unsigned, key)        # or sign_jwt(unsigned, key)
    report = verify_credential(badge, status_fetcher=lists.get)

Errors derive from ``credstack.badges.errors.BadgeError`` (a ``CredstackError``).
"""
