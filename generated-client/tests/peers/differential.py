"""Sends the differential cases through the official Python Ory client (see differential.rs).

Usage: differential.py BASE_URL CASES_JSON. The recording server's answers are not what is
compared, so errors decoding them are ignored; every request is sent, in the order of the cases.
"""
import json
import sys

import ory_client
from ory_client.api.frontend_api import FrontendApi
from ory_client.api.identity_api import IdentityApi
from ory_client.api.jwk_api import JwkApi
from ory_client.api.o_auth2_api import OAuth2Api


def key(kid):
    return {"alg": "RS256", "kid": kid, "kty": "RSA", "use": "sig", "e": "AQAB", "n": "sample-n"}


def main(url, cases_path):
    with open(cases_path, encoding="utf-8") as f:
        cases = json.load(f)
    client = ory_client.ApiClient(ory_client.Configuration(host=url, access_token=cases["token"]))
    jwk = JwkApi(client)
    calls = []
    for case in cases["jwk"]:
        s, k = case["set"], case["kid"]
        calls += [
            lambda s=s, k=k: jwk.create_json_web_key_set(
                s, ory_client.CreateJsonWebKeySet.from_dict({"alg": "RS256", "kid": k, "use": "sig"})
            ),
            lambda s=s, k=k: jwk.delete_json_web_key(s, k),
            lambda s=s: jwk.delete_json_web_key_set(s),
            lambda s=s, k=k: jwk.get_json_web_key(s, k),
            lambda s=s: jwk.get_json_web_key_set(s),
            lambda s=s, k=k: jwk.set_json_web_key(s, k, ory_client.JsonWebKey.from_dict(key(k))),
            lambda s=s, k=k: jwk.set_json_web_key_set(
                s, ory_client.JsonWebKeySet.from_dict({"keys": [key(k)]})
            ),
        ]
    introspect = cases["introspect"]
    calls.append(
        lambda: OAuth2Api(client).introspect_o_auth2_token(
            introspect["token"], scope=introspect["scope"]
        )
    )
    listing = cases["list_identities"]
    calls.append(
        lambda: IdentityApi(client).list_identities(
            page_size=listing["page_size"],
            ids=listing["ids"],
            credentials_identifier=listing["credentials_identifier"],
            include_credential=listing["include_credential"],
        )
    )
    session = cases["to_session"]
    calls.append(
        lambda: FrontendApi(client).to_session(
            x_session_token=session["x_session_token"], cookie=session["cookie"]
        )
    )
    for number, call in enumerate(calls, start=1):
        try:
            call()
        except ory_client.exceptions.ApiException:
            pass  # the answer is canned; only the request matters
        except Exception as e:  # shown, so that a call failing before it sends is explained
            print(f"call {number}: {type(e).__name__}: {e}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
