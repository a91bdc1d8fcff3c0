"""exchangelib (a standard EWS client nobody here wrote) against a running fake Exchange.

Start the fake with the demo world, then run this script:

    cargo run -p maiconnect-fakes --bin fake-exchange -- --port 7302 --demo &
    python3 tests/fakes/interop/exchange_exchangelib.py [http://127.0.0.1:7302]

It creates, finds, updates and deletes a calendar item, a task and a contact in
anna.berg@example.com with Basic auth and impersonation, and asserts the results.
"""
import datetime
from decimal import Decimal
import sys

from exchangelib import (BASIC, IMPERSONATION, Account, CalendarItem, Configuration, Contact,
                         Credentials, EWSDateTime, EWSTimeZone, Task, Version)
from exchangelib.version import EXCHANGE_2013_SP1

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:7302"
config = Configuration(
    service_endpoint=f"{base}/EWS/Exchange.asmx",
    credentials=Credentials("svc-maiconnect@example.com", "Demo-Passw0rd!"),
    auth_type=BASIC,
    version=Version(build=EXCHANGE_2013_SP1),
)
account = Account("anna.berg@example.com", config=config, autodiscover=False, access_type=IMPERSONATION)
tz = EWSTimeZone("Europe/Berlin")
# Leftovers of an earlier, interrupted run.
for folder in (account.calendar, account.tasks, account.contacts):
    for old in folder.filter(subject__startswith="exchangelib"):
        old.delete()
for old in account.contacts.filter(surname="Lang"):
    old.delete()
start = EWSDateTime(2026, 9, 1, 9, 0, tzinfo=tz)

# Calendar item: create, find, update, delete.
item = CalendarItem(folder=account.calendar, subject="exchangelib meeting", start=start,
                    end=start + datetime.timedelta(hours=1), location="Bonn", categories=["SAP"])
item.save()
assert item.id and item.changekey, "created item has an id and a change key"
found = list(account.calendar.view(start=start - datetime.timedelta(days=1), end=start + datetime.timedelta(days=1)))
assert any(f.subject == "exchangelib meeting" for f in found), found
fetched = account.calendar.get(id=item.id)
assert fetched.location == "Bonn" and fetched.categories == ["SAP"], (fetched.location, fetched.categories)
old_key = item.changekey
item.subject = "exchangelib meeting (moved)"
item.save(update_fields=["subject"])
assert item.changekey != old_key, "an update gives a new change key"
assert account.calendar.get(id=item.id).subject == "exchangelib meeting (moved)"
item.delete()
assert not any(f.subject.startswith("exchangelib meeting") for f in account.calendar.all())

# Task.
task = Task(folder=account.tasks, subject="exchangelib task", status="NotStarted")
task.save()
assert account.tasks.get(id=task.id).subject == "exchangelib task"
task.percent_complete = Decimal(50)
task.status = "InProgress"
task.save(update_fields=["percent_complete", "status"])
t = account.tasks.get(id=task.id)
assert t.status == "InProgress", t.status
assert account.tasks.filter(subject="exchangelib task").count() == 1
task.delete()
assert account.tasks.filter(subject="exchangelib task").count() == 0

# Contact.
contact = Contact(folder=account.contacts, given_name="Dora", surname="Lang", company_name="ACME GmbH",
                  display_name="Dora Lang")
contact.save()
c = account.contacts.get(id=contact.id)
assert (c.given_name, c.surname, c.company_name) == ("Dora", "Lang", "ACME GmbH"), (c.given_name, c.surname)
contact.job_title = "Buyer"
contact.save(update_fields=["job_title"])
assert account.contacts.get(id=contact.id).job_title == "Buyer"
contact.delete()
assert account.contacts.filter(surname="Lang").count() == 0

print("exchangelib interop: 3 passed, 0 failed")
