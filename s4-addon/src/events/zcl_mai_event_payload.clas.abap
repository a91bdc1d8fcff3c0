"! <p class="shorttext synchronized">maiconnect: event rows to the hub's JSON</p>
"! Writes outbox rows in the hub's event contract (README, "The S/4HANA
"! event contract"; the Rust type maiconnect_core::model::S4Event):
"! {"eventId","objectType","objectKey","change","changedAt"} and, for
"! relationships, "relationship":{"kind","from","to","valid_from","valid_to"}.
"! One row is posted as an object, several as an array, in the order given.
"! The golden files in s4-addon/golden are this class's output.
CLASS zcl_mai_event_payload DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    "! One event.
    CLASS-METHODS event
      IMPORTING is_row         TYPE zmai_outbox
      RETURNING VALUE(rv_json) TYPE string.

    "! The body of one POST: an object for one row, an array for several.
    CLASS-METHODS body
      IMPORTING it_rows        TYPE zif_mai_event=>ty_rows
      RETURNING VALUE(rv_json) TYPE string.

    "! The contract's key of an activity: its GUID (RAW16, or 32 hex
    "! digits) hyphenated in lower case, as the hub's ActivityId prints it.
    CLASS-METHODS activity_key
      IMPORTING iv_guid       TYPE xsequence
      RETURNING VALUE(rv_key) TYPE string.

    "! The contract's key of a relationship: partner1/partner2/category.
    CLASS-METHODS relationship_key
      IMPORTING is_relationship TYPE zif_mai_event=>ty_relationship
      RETURNING VALUE(rv_key)   TYPE string.

    "! A partner number in its 10-character internal (ALPHA) form.
    CLASS-METHODS partner_key
      IMPORTING iv_partner    TYPE csequence
      RETURNING VALUE(rv_key) TYPE string.

  PRIVATE SECTION.
    CLASS-METHODS date_or_null
      IMPORTING iv_date        TYPE d
      RETURNING VALUE(rv_json) TYPE string.

ENDCLASS.



CLASS zcl_mai_event_payload IMPLEMENTATION.

  METHOD event.
    DATA lt_members TYPE string_table.
    DATA lt_relationship TYPE string_table.

    APPEND zcl_mai_json=>member( iv_name = `eventId` iv_json = zcl_mai_json=>string( is_row-event_id ) )
      TO lt_members.
    APPEND zcl_mai_json=>member( iv_name = `objectType` iv_json = zcl_mai_json=>string( is_row-object_type ) )
      TO lt_members.
    APPEND zcl_mai_json=>member( iv_name = `objectKey` iv_json = zcl_mai_json=>string( is_row-object_key ) )
      TO lt_members.
    APPEND zcl_mai_json=>member( iv_name = `change` iv_json = zcl_mai_json=>string( is_row-change_kind ) )
      TO lt_members.
    IF is_row-changed_at IS NOT INITIAL.
      APPEND zcl_mai_json=>member(
               iv_name = `changedAt`
               iv_json = zcl_mai_json=>string( zcl_mai_time=>iso_timestamp( is_row-changed_at ) ) )
        TO lt_members.
    ENDIF.

    IF is_row-object_type = zif_mai_event=>c_object_type-relationship.
      APPEND zcl_mai_json=>member( iv_name = `kind` iv_json = zcl_mai_json=>string( is_row-rel_kind ) )
        TO lt_relationship.
      APPEND zcl_mai_json=>member( iv_name = `from` iv_json = zcl_mai_json=>string( is_row-rel_from ) )
        TO lt_relationship.
      APPEND zcl_mai_json=>member( iv_name = `to` iv_json = zcl_mai_json=>string( is_row-rel_to ) )
        TO lt_relationship.
      APPEND zcl_mai_json=>member( iv_name = `valid_from` iv_json = date_or_null( is_row-rel_valid_from ) )
        TO lt_relationship.
      APPEND zcl_mai_json=>member( iv_name = `valid_to` iv_json = date_or_null( is_row-rel_valid_to ) )
        TO lt_relationship.
      APPEND zcl_mai_json=>member( iv_name = `relationship` iv_json = zcl_mai_json=>object( lt_relationship ) )
        TO lt_members.
    ENDIF.

    rv_json = zcl_mai_json=>object( lt_members ).
  ENDMETHOD.

  METHOD body.
    DATA lt_events TYPE string_table.
    IF lines( it_rows ) = 1.
      rv_json = event( it_rows[ 1 ] ).
      RETURN.
    ENDIF.
    LOOP AT it_rows INTO DATA(ls_row).
      APPEND event( ls_row ) TO lt_events.
    ENDLOOP.
    rv_json = zcl_mai_json=>array( lt_events ).
  ENDMETHOD.

  METHOD activity_key.
    DATA lv_hex TYPE c LENGTH 32.
    lv_hex = iv_guid.
    lv_hex = to_lower( lv_hex ).
    rv_key = |{ lv_hex(8) }-{ lv_hex+8(4) }-{ lv_hex+12(4) }-{ lv_hex+16(4) }-{ lv_hex+20(12) }|.
  ENDMETHOD.

  METHOD relationship_key.
    rv_key = |{ partner_key( is_relationship-partner1 ) }/{ partner_key( is_relationship-partner2 ) }/|
          && |{ is_relationship-reltyp }|.
  ENDMETHOD.

  METHOD partner_key.
    DATA lv_partner TYPE c LENGTH 10.
    lv_partner = iv_partner.
    lv_partner = |{ lv_partner ALPHA = IN }|.
    rv_key = lv_partner.
  ENDMETHOD.

  METHOD date_or_null.
    IF iv_date IS INITIAL.
      rv_json = zcl_mai_json=>c_null.
    ELSE.
      rv_json = zcl_mai_json=>string( zcl_mai_time=>iso_date( iv_date ) ).
    ENDIF.
  ENDMETHOD.

ENDCLASS.
