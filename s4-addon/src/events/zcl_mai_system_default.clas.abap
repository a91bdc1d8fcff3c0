"! <p class="shorttext synchronized">maiconnect: system clock and UUIDs</p>
CLASS zcl_mai_system_default DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    INTERFACES zif_mai_system.

ENDCLASS.



CLASS zcl_mai_system_default IMPLEMENTATION.

  METHOD zif_mai_system~now.
    GET TIME STAMP FIELD rv_now.
  ENDMETHOD.

  METHOD zif_mai_system~new_event_id.
    DATA lv_uuid TYPE sysuuid_c36.
    TRY.
        lv_uuid = cl_system_uuid=>create_uuid_c36_static( ).
      CATCH cx_uuid_error.
        " Practically impossible; an id is still needed, and unique enough.
        GET TIME STAMP FIELD DATA(lv_now).
        lv_uuid = |{ sy-sysid }-{ sy-uname }-{ lv_now }|.
    ENDTRY.
    rv_id = to_lower( lv_uuid ).
  ENDMETHOD.

ENDCLASS.
