"! <p class="shorttext synchronized">maiconnect: event contract types</p>
"! The values of the hub's event contract (README, "The S/4HANA event
"! contract"): what S/4HANA posts to the hub's /s4/events.
INTERFACE zif_mai_event PUBLIC.

  TYPES ty_object_type TYPE c LENGTH 12.
  TYPES ty_change TYPE c LENGTH 7.

  CONSTANTS:
    BEGIN OF c_object_type,
      appointment  TYPE ty_object_type VALUE 'BUS2000126',
      task         TYPE ty_object_type VALUE 'BUS2000125',
      partner      TYPE ty_object_type VALUE 'BUS1006',
      relationship TYPE ty_object_type VALUE 'relationship',
    END OF c_object_type.

  CONSTANTS:
    BEGIN OF c_change,
      created TYPE ty_change VALUE 'created',
      changed TYPE ty_change VALUE 'changed',
      deleted TYPE ty_change VALUE 'deleted',
    END OF c_change.

  "! Where an outbox row stands (ZMAI_OUTBOX-STATUS).
  CONSTANTS:
    BEGIN OF c_status,
      "! recorded, not tried yet
      new       TYPE c LENGTH 1 VALUE 'N',
      "! tried, the hub did not take it; tried again at NEXT_TRY_AT
      retrying  TYPE c LENGTH 1 VALUE 'R',
      "! the hub answered 2xx
      sent      TYPE c LENGTH 1 VALUE 'S',
      "! the hub refused it as malformed (400): needs a person
      failed    TYPE c LENGTH 1 VALUE 'F',
      "! given up by an administrator in the status report
      discarded TYPE c LENGTH 1 VALUE 'D',
    END OF c_status.

  "! A BP relationship as BUT050 holds it.
  TYPES:
    BEGIN OF ty_relationship,
      relnr     TYPE c LENGTH 12,
      partner1  TYPE c LENGTH 10,
      partner2  TYPE c LENGTH 10,
      reltyp    TYPE c LENGTH 6,
      date_from TYPE d,
      date_to   TYPE d,
    END OF ty_relationship.

  TYPES ty_rows TYPE STANDARD TABLE OF zmai_outbox WITH EMPTY KEY.

ENDINTERFACE.
