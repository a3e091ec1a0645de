"""Every form POST is refused without the session's CSRF token, found from the URL map so a
new page is covered the day it is added; the API, which takes only bearer tokens, has none."""

import re

from tests.conftest import sign_in
from tests.factories import make_user

MISSING_ID = "999999"


def test_every_page_post_without_the_token_is_refused(app, client):
    user = make_user(roles=["manager"])
    assert sign_in(client, user.username).status_code == 302
    refused, tried = [], 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<int:\w+>", MISSING_ID, rule.rule)
        path = re.sub(r"<any\(([^,)]+)[^>]*\):\w+>", lambda m: m.group(1).strip("'\" "), path)
        path = re.sub(r"<\w+>", "x", path)
        for token in (None, "forged-token"):
            tried += 1
            data = {"q": "x", "name": "x"} | ({"csrf_token": token} if token else {})
            response = client.post(path, data=data)
            if rule.rule.startswith("/hooks/"):
                # The gateway's webhooks take no form: a body without its signature is refused.
                if response.status_code != 403:
                    refused.append((path, token, response.status_code))
                continue
            if response.status_code != 400 or "form expired" not in response.get_data(as_text=True):
                refused.append((path, token, response.status_code))
    print(f"\nprobe page POSTs without or with a forged CSRF token: {tried} cases")
    assert tried > 100
    assert refused == []
