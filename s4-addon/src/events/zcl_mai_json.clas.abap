"! <p class="shorttext synchronized">maiconnect: JSON text for the event contract</p>
"! The few JSON forms the event contract needs, written by hand so that the
"! bytes are fixed (field order, no blanks) and the same on every release:
"! the golden files in s4-addon/golden are compared byte for byte.
CLASS zcl_mai_json DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    CONSTANTS c_null TYPE string VALUE `null`.

    "! A JSON string: the value in quotes, quote and backslash escaped,
    "! trailing blanks of a character field dropped.
    CLASS-METHODS string
      IMPORTING iv_value       TYPE csequence
      RETURNING VALUE(rv_json) TYPE string.

    "! "name":value, the value already JSON.
    CLASS-METHODS member
      IMPORTING iv_name        TYPE csequence
                iv_json        TYPE string
      RETURNING VALUE(rv_json) TYPE string.

    "! {members}, joined with commas.
    CLASS-METHODS object
      IMPORTING it_members     TYPE string_table
      RETURNING VALUE(rv_json) TYPE string.

    "! [values], joined with commas.
    CLASS-METHODS array
      IMPORTING it_values      TYPE string_table
      RETURNING VALUE(rv_json) TYPE string.

  PRIVATE SECTION.
    CLASS-METHODS join
      IMPORTING it_parts       TYPE string_table
      RETURNING VALUE(rv_text) TYPE string.

ENDCLASS.



CLASS zcl_mai_json IMPLEMENTATION.

  METHOD string.
    DATA lv_text TYPE string.
    lv_text = iv_value.
    lv_text = replace( val = lv_text sub = `\` with = `\\` occ = 0 ).
    lv_text = replace( val = lv_text sub = `"` with = `\"` occ = 0 ).
    rv_json = `"` && lv_text && `"`.
  ENDMETHOD.

  METHOD member.
    rv_json = string( iv_name ) && `:` && iv_json.
  ENDMETHOD.

  METHOD object.
    rv_json = `{` && join( it_members ) && `}`.
  ENDMETHOD.

  METHOD array.
    rv_json = `[` && join( it_values ) && `]`.
  ENDMETHOD.

  METHOD join.
    LOOP AT it_parts INTO DATA(lv_part).
      IF sy-tabix > 1.
        rv_text = rv_text && `,`.
      ENDIF.
      rv_text = rv_text && lv_part.
    ENDLOOP.
  ENDMETHOD.

ENDCLASS.
