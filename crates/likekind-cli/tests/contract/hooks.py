"""Schemathesis hooks for the contract test (crates/likekind-cli/tests/schemathesis.rs).

The run authenticates with one API token. Schemathesis reuses ids it read in earlier answers
(GET /api/tokens lists that token), so left alone it would revoke its own credentials half-way
and test the rest of the API as a stranger. A revocation aimed at that token is sent to a
spare token made for the purpose instead (204 the first time, 404 after): the operation is
still exercised, the run keeps its credentials. The test fails if the token stops working
anyway.
"""

import os

import schemathesis

PROTECTED = os.environ.get("LIKEKIND_ST_TOKEN_ID", "")
SPARE = os.environ.get("LIKEKIND_ST_SPARE_TOKEN_ID", "")


@schemathesis.hook
def before_call(context, case, kwargs):
    params = case.path_parameters
    if PROTECTED and params and params.get("token_id") == PROTECTED:
        params["token_id"] = SPARE
