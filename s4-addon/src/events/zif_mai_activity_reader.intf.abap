"! <p class="shorttext synchronized">maiconnect: CRM activity header</p>
INTERFACE zif_mai_activity_reader PUBLIC.

  TYPES:
    BEGIN OF ty_header,
      "! BUS2000126 or BUS2000125; empty: not an activity
      object_type  TYPE zif_mai_event=>ty_object_type,
      process_type TYPE c LENGTH 4,
      "! not on the database yet: this save creates it
      is_new       TYPE abap_bool,
    END OF ty_header.

  "! The header of a one-order document being saved or deleted (from the
  "! order buffer, so it works before the update task writes it).
  METHODS header
    IMPORTING iv_guid          TYPE xsequence
    RETURNING VALUE(rs_header) TYPE ty_header.

ENDINTERFACE.
