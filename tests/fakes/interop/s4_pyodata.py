#!/usr/bin/env python3
"""Interop check: SAP's own OData v2 client (pyodata) against the fake S/4HANA.

pyodata reads the appointment service's $metadata, then creates, reads,
updates (MERGE with If-Match) and deletes an appointment, with the CSRF token
fetched the way pyodata's documentation says (HEAD with x-csrf-token: fetch;
the session keeps the cookies) and the ETag pyodata took from the responses.

Run against a running fake:

    cargo run -p maiconnect-fakes --bin fake-s4 -- --port 7301 --seed 1 &
    pip install pyodata requests
    python3 tests/fakes/interop/s4_pyodata.py --url http://127.0.0.1:7301

Exits non-zero on the first failed check.
"""

import argparse
import datetime
import sys
import uuid

import pyodata
import requests
from pyodata.exceptions import HttpError

SERVICE = "/sap/opu/odata/NAG/CRM_APPOINTMENT_SRV_01/"


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}")
        sys.exit(1)
    print(f"ok: {what}")


def with_headers(request, headers):
    """pyodata's add_headers returns nothing; chainable wrapper."""
    request.add_headers(headers)
    return request


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:7301")
    parser.add_argument("--user", default="MAICONNECT")
    parser.add_argument("--password", default="Welcome1!")
    parser.add_argument("--client", default="100")
    args = parser.parse_args()
    service_url = args.url.rstrip("/") + SERVICE

    session = requests.Session()
    session.auth = (args.user, args.password)
    session.params = {"sap-client": args.client}
    # pyodata has no CSRF support of its own: fetch the token, keep the cookies.
    fetched = session.head(service_url, headers={"x-csrf-token": "fetch"})
    check(fetched.status_code == 200, "HEAD with x-csrf-token: fetch answers 200")
    token = fetched.headers.get("x-csrf-token")
    check(token and token.lower() != "required", "a CSRF token is returned")
    check(any(c.name.startswith("SAP_SESSIONID_") for c in session.cookies), "the session cookie is set")
    session.headers.update({"x-csrf-token": token})

    client = pyodata.Client(service_url, session)
    names = sorted(es.name for es in client.schema.entity_sets)
    check(names == ["AppointmentSet", "AttachmentSet", "AttendeeSet"], f"$metadata parsed: {names}")
    appointment_type = client.schema.entity_type("Appointment")
    description = appointment_type.proprty("Description")
    check(description.max_length == 40, "Description has MaxLength 40")
    check(appointment_type.proprty("ChangedAt").typ.name == "Edm.DateTimeOffset", "ChangedAt is Edm.DateTimeOffset")
    check([k.name for k in appointment_type.key_proprties] == ["Guid"], "the key is Guid")

    guid = str(uuid.uuid4())
    start = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.timezone.utc)
    appointments = client.entity_sets.AppointmentSet
    created = appointments.create_entity().set(**{
        "Guid": guid,
        "Description": "pyodata interop",
        "Location": "Walldorf",
        "FromDate": start,
        "ToDate": start + datetime.timedelta(hours=1),
        "Responsible": "4711",
        "TransactionType": "ZMAI",
    }).execute()
    check(created.Guid == guid, "create with a client-chosen Guid")
    check(created.etag and created.etag.startswith('W/"'), f"the created entity has a weak ETag: {created.etag}")

    read = appointments.get_entity(Guid=guid).execute()
    check(read.Description == "pyodata interop", "read it back")
    check(read.FromDate == start, f"FromDate round-trips as UTC: {read.FromDate}")
    check(read.Responsible == "0000004711", "partner numbers come back ALPHA-converted")
    etag = read.etag
    check(etag == created.etag, "the ETag of the read equals the one of the create")

    listed = appointments.get_entities().filter("Responsible eq '4711'").execute()
    check(any(a.Guid == guid for a in listed), "$filter on Responsible finds it")

    with_headers(appointments.update_entity(Guid=guid, method="MERGE").set(Location="Berlin"), {"If-Match": etag}).execute()
    after = appointments.get_entity(Guid=guid).execute()
    check(after.Location == "Berlin" and after.Description == "pyodata interop", "MERGE with If-Match changed only Location")
    check(after.etag != etag, "the ETag changed with the update")

    try:
        with_headers(appointments.update_entity(Guid=guid, method="MERGE").set(Location="Paris"), {"If-Match": etag}).execute()
        check(False, "a stale ETag is refused")
    except HttpError as e:
        check(e.response.status_code == 412, f"a stale ETag is refused with 412 ({e.response.status_code})")

    try:
        appointments.update_entity(Guid=guid, method="MERGE").set(Location="Paris").execute()
        check(False, "a missing If-Match is refused")
    except HttpError as e:
        check(e.response.status_code == 428, f"a missing If-Match is refused with 428 ({e.response.status_code})")

    with_headers(appointments.delete_entity(Guid=guid), {"If-Match": after.etag}).execute()
    try:
        appointments.get_entity(Guid=guid).execute()
        check(False, "the deleted appointment is gone")
    except HttpError as e:
        check(e.response.status_code == 404, "the deleted appointment is gone (404)")

    # Server-driven paging: pyodata reads __count and follows __next.
    control = args.url.rstrip("/") + "/_control/page-size"
    check(requests.put(control, json={"size": 1}).status_code == 200, "page size set to 1 (control API)")
    guids = [str(uuid.uuid4()) for _ in range(2)]
    for n, g in enumerate(guids):
        appointments.create_entity().set(**{
            "Guid": g, "Description": f"paged {n}", "FromDate": start, "ToDate": start, "Responsible": "4799",
        }).execute()
    first = appointments.get_entities().filter("Responsible eq '4799'").count(inline=True).execute()
    check(first.total_count == 2 and len(first) == 1 and first.next_url, "first page: __count 2, one entry, __next")
    second = appointments.get_entities().next_url(first.next_url).execute()
    check(len(second) == 1 and second[0].Guid != first[0].Guid and not second.next_url, "second page via __next, no further link")
    requests.put(control, json={"size": 100})

    # $batch: a changeset (MERGE + DELETE) and a GET after it.
    batch = client.create_batch()
    changeset = client.create_changeset()
    changeset.add_request(with_headers(appointments.update_entity(Guid=guids[0], method="MERGE").set(Location="Batched"), {"If-Match": "*"}))
    changeset.add_request(with_headers(appointments.delete_entity(Guid=guids[1]), {"If-Match": "*"}))
    batch.add_request(changeset)
    batch.add_request(appointments.get_entity(Guid=guids[0]))
    results = batch.execute()
    check(len(results) == 2 and len(results[0]) == 2, "batch answers the changeset (2 parts) and the GET")
    check(results[1].Location == "Batched", "the GET after the changeset sees its MERGE")
    try:
        appointments.get_entity(Guid=guids[1]).execute()
        check(False, "the DELETE in the changeset took effect")
    except HttpError as e:
        check(e.response.status_code == 404, "the DELETE in the changeset took effect")

    # A failing changeset is answered by one error part; pyodata raises.
    stale = client.create_changeset()
    stale.add_request(with_headers(appointments.update_entity(Guid=guids[0], method="MERGE").set(Location="Lost"), {"If-Match": "*"}))
    stale.add_request(with_headers(appointments.update_entity(Guid=guids[0], method="MERGE").set(Location="Stale"), {"If-Match": 'W/"stale"'}))
    failing = client.create_batch()
    failing.add_request(stale)
    try:
        failing.execute()
        check(False, "a changeset with a stale ETag fails as a whole")
    except HttpError as e:
        check(e.response.status_code == 412, f"a changeset with a stale ETag fails as a whole ({e.response.status_code})")
    check(appointments.get_entity(Guid=guids[0]).execute().Location == "Batched", "and its first MERGE was rolled back")

    print("pyodata interop: all checks passed")


if __name__ == "__main__":
    main()
