"""A search typed into a list page never shows in its address: the form posts it, the text
is kept server-side for its author, and the page is shown under an opaque token."""

import re

from tests.conftest import csrf_token, sign_in
from tests.factories import make_customer, make_user

PAGES = ("/customers", "/vehicles", "/vip", "/staff", "/work-orders")


def test_a_posted_search_leaves_no_personal_data_in_the_address(app, client, login):
    login("manager")
    make_customer(name="Zhou Min", phone="+8613912345678")
    for page in PAGES:
        response = client.post(
            page, data={"q": "139 1234 5678", "csrf_token": csrf_token(client, page)}
        )
        assert response.status_code == 303, page
        location = response.headers["Location"]
        assert re.fullmatch(rf"{page}\?(status=\w+&)?search=[\w-]+", location), location
        assert "139" not in location and "1234" not in location
        shown = client.get(location).get_data(as_text=True)
        assert 'value="139 1234 5678"' in shown, page


def test_the_found_customer_is_listed_and_pages_keep_the_search(app, client, login):
    login("advisor")
    for n in range(30):
        make_customer(name=f"Zhou Min {n:02d}", phone=f"+86139123456{n:02d}")
    make_customer(name="Li Na", phone="+8613800138000")
    response = client.post(
        "/customers", data={"q": "Zhou", "csrf_token": csrf_token(client, "/customers")}
    )
    first = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Zhou Min 00" in first and "Li Na" not in first
    token = response.headers["Location"].split("search=")[1]
    assert f"search={token}&amp;page=2" in first or f"page=2&amp;search={token}" in first
    second = client.get(f"/customers?search={token}&page=2").get_data(as_text=True)
    assert "Zhou Min" in second and "Li Na" not in second


def test_a_search_token_means_nothing_to_someone_else(app, client, login):
    login("advisor")
    make_customer(name="Zhou Min", phone="+8613912345678")
    response = client.post(
        "/customers", data={"q": "Zhou", "csrf_token": csrf_token(client, "/customers")}
    )
    location = response.headers["Location"]
    other = app.test_client()
    sign_in(other, make_user(roles=["advisor"]).username)
    page = other.get(location).get_data(as_text=True)
    assert 'value="Zhou"' not in page
