"! The payload builder against the golden files of the event contract
"! (s4-addon/golden, the same files the hub's Rust test posts). They are
"! read from the working directory: .ci/run runs these tests on Node.js in
"! s4-addon/. On an SAP system the files are not there and these tests
"! abort with a note instead of failing.
CLASS ltcl_golden DEFINITION FINAL FOR TESTING DURATION SHORT RISK LEVEL HARMLESS.
  PRIVATE SECTION.
    CONSTANTS c_appointment TYPE string VALUE `0050568C2B4F1EE8A1B2C3D4E5F60718`.
    CONSTANTS c_task TYPE string VALUE `0050568C2B4F1EE8A1B2C3D4E5F6A125`.

    METHODS appointment_created FOR TESTING.
    METHODS appointment_changed FOR TESTING.
    METHODS appointment_deleted FOR TESTING.
    METHODS task_created FOR TESTING.
    METHODS task_changed FOR TESTING.
    METHODS task_deleted FOR TESTING.
    METHODS partner_created FOR TESTING.
    METHODS partner_changed FOR TESTING.
    METHODS partner_deleted FOR TESTING.
    METHODS relationship_created FOR TESTING.
    METHODS relationship_changed FOR TESTING.
    METHODS relationship_deleted FOR TESTING.
    METHODS batch FOR TESTING.

    METHODS golden
      IMPORTING iv_name        TYPE string
      RETURNING VALUE(rv_json) TYPE string.
    METHODS activity
      IMPORTING iv_id         TYPE string
                iv_type       TYPE zif_mai_event=>ty_object_type
                iv_guid       TYPE string
                iv_change     TYPE zif_mai_event=>ty_change
                iv_at         TYPE timestamp
      RETURNING VALUE(rs_row) TYPE zmai_outbox.
    METHODS partner
      IMPORTING iv_id         TYPE string
                iv_partner    TYPE string
                iv_change     TYPE zif_mai_event=>ty_change
                iv_at         TYPE timestamp
      RETURNING VALUE(rs_row) TYPE zmai_outbox.
    METHODS relationship
      IMPORTING iv_id         TYPE string
                is_rel        TYPE zif_mai_event=>ty_relationship
                iv_change     TYPE zif_mai_event=>ty_change
                iv_at         TYPE timestamp
      RETURNING VALUE(rs_row) TYPE zmai_outbox.
    METHODS lena_bur011
      RETURNING VALUE(rs_rel) TYPE zif_mai_event=>ty_relationship.
    METHODS check
      IMPORTING iv_name TYPE string
                is_row  TYPE zmai_outbox.
ENDCLASS.


CLASS ltcl_golden IMPLEMENTATION.

  METHOD golden.
    DATA lv_file TYPE string.
    DATA lv_line TYPE string.
    lv_file = |golden/{ iv_name }|.
    OPEN DATASET lv_file FOR INPUT IN TEXT MODE ENCODING UTF-8.
    IF sy-subrc <> 0.
      cl_abap_unit_assert=>abort(
        msg = |{ lv_file } is not here: the golden files are checked on Node.js by .ci/run| ).
    ENDIF.
    DO.
      READ DATASET lv_file INTO lv_line.
      IF sy-subrc <> 0.
        EXIT.
      ENDIF.
      rv_json = rv_json && lv_line.
    ENDDO.
    CLOSE DATASET lv_file.
  ENDMETHOD.

  METHOD activity.
    rs_row-event_id = iv_id.
    rs_row-object_type = iv_type.
    rs_row-object_key = zcl_mai_event_payload=>activity_key( CONV xstring( iv_guid ) ).
    rs_row-change_kind = iv_change.
    rs_row-changed_at = iv_at.
  ENDMETHOD.

  METHOD partner.
    rs_row-event_id = iv_id.
    rs_row-object_type = zif_mai_event=>c_object_type-partner.
    rs_row-object_key = zcl_mai_event_payload=>partner_key( iv_partner ).
    rs_row-change_kind = iv_change.
    rs_row-changed_at = iv_at.
  ENDMETHOD.

  METHOD relationship.
    rs_row-event_id = iv_id.
    rs_row-object_type = zif_mai_event=>c_object_type-relationship.
    rs_row-object_key = zcl_mai_event_payload=>relationship_key( is_rel ).
    rs_row-change_kind = iv_change.
    rs_row-changed_at = iv_at.
    rs_row-rel_kind = is_rel-reltyp.
    rs_row-rel_from = zcl_mai_event_payload=>partner_key( is_rel-partner1 ).
    rs_row-rel_to = zcl_mai_event_payload=>partner_key( is_rel-partner2 ).
    rs_row-rel_valid_from = is_rel-date_from.
    rs_row-rel_valid_to = is_rel-date_to.
  ENDMETHOD.

  METHOD lena_bur011.
    rs_rel-relnr = '000000000007'.
    rs_rel-partner1 = '300'.
    rs_rel-partner2 = '0000004711'.
    rs_rel-reltyp = 'BUR011'.
    rs_rel-date_from = '20200101'.
    rs_rel-date_to = '99991231'.
  ENDMETHOD.

  METHOD check.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_event_payload=>event( is_row )
                                        exp = golden( iv_name )
                                        msg = iv_name ).
  ENDMETHOD.

  METHOD appointment_created.
    check( iv_name = `appointment-created.json`
           is_row = activity( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f801001`
                              iv_type = zif_mai_event=>c_object_type-appointment iv_guid = c_appointment
                              iv_change = zif_mai_event=>c_change-created iv_at = '20261127093000' ) ).
  ENDMETHOD.

  METHOD appointment_changed.
    check( iv_name = `appointment-changed.json`
           is_row = activity( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f801002`
                              iv_type = zif_mai_event=>c_object_type-appointment iv_guid = c_appointment
                              iv_change = zif_mai_event=>c_change-changed iv_at = '20261127094512' ) ).
  ENDMETHOD.

  METHOD appointment_deleted.
    check( iv_name = `appointment-deleted.json`
           is_row = activity( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f801003`
                              iv_type = zif_mai_event=>c_object_type-appointment iv_guid = c_appointment
                              iv_change = zif_mai_event=>c_change-deleted iv_at = '20261127100259' ) ).
  ENDMETHOD.

  METHOD task_created.
    check( iv_name = `task-created.json`
           is_row = activity( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f802001`
                              iv_type = zif_mai_event=>c_object_type-task iv_guid = c_task
                              iv_change = zif_mai_event=>c_change-created iv_at = '20261128070000' ) ).
  ENDMETHOD.

  METHOD task_changed.
    check( iv_name = `task-changed.json`
           is_row = activity( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f802002`
                              iv_type = zif_mai_event=>c_object_type-task iv_guid = c_task
                              iv_change = zif_mai_event=>c_change-changed iv_at = '20261128071530' ) ).
  ENDMETHOD.

  METHOD task_deleted.
    check( iv_name = `task-deleted.json`
           is_row = activity( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f802003`
                              iv_type = zif_mai_event=>c_object_type-task iv_guid = c_task
                              iv_change = zif_mai_event=>c_change-deleted iv_at = '20261128165959' ) ).
  ENDMETHOD.

  METHOD partner_created.
    check( iv_name = `partner-created.json`
           is_row = partner( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f803001` iv_partner = `102`
                             iv_change = zif_mai_event=>c_change-created iv_at = '20261129080000' ) ).
  ENDMETHOD.

  METHOD partner_changed.
    check( iv_name = `partner-changed.json`
           is_row = partner( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f803002` iv_partner = `0000000100`
                             iv_change = zif_mai_event=>c_change-changed iv_at = '20261129081000' ) ).
  ENDMETHOD.

  METHOD partner_deleted.
    check( iv_name = `partner-deleted.json`
           is_row = partner( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f803003` iv_partner = `101`
                             iv_change = zif_mai_event=>c_change-deleted iv_at = '20261129082000' ) ).
  ENDMETHOD.

  METHOD relationship_created.
    check( iv_name = `relationship-created.json`
           is_row = relationship( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f804001` is_rel = lena_bur011( )
                                  iv_change = zif_mai_event=>c_change-created iv_at = '20261130090000' ) ).
  ENDMETHOD.

  METHOD relationship_changed.
    DATA(ls_rel) = lena_bur011( ).
    ls_rel-date_to = '20261129'.
    check( iv_name = `relationship-changed.json`
           is_row = relationship( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f804002` is_rel = ls_rel
                                  iv_change = zif_mai_event=>c_change-changed iv_at = '20261130093000' ) ).
  ENDMETHOD.

  METHOD relationship_deleted.
    DATA ls_rel TYPE zif_mai_event=>ty_relationship.
    ls_rel-relnr = '000000000002'.
    ls_rel-partner1 = '0000000101'.
    ls_rel-partner2 = '200'.
    ls_rel-reltyp = 'BUR001'.
    ls_rel-date_to = '99991231'.
    check( iv_name = `relationship-deleted.json`
           is_row = relationship( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f804003` is_rel = ls_rel
                                  iv_change = zif_mai_event=>c_change-deleted iv_at = '20261130100000' ) ).
  ENDMETHOD.

  METHOD batch.
    DATA lt_rows TYPE zif_mai_event=>ty_rows.
    APPEND activity( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f805001`
                     iv_type = zif_mai_event=>c_object_type-appointment iv_guid = c_appointment
                     iv_change = zif_mai_event=>c_change-created iv_at = '20261201080000' ) TO lt_rows.
    APPEND partner( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f805002` iv_partner = `100`
                    iv_change = zif_mai_event=>c_change-changed iv_at = '20261201080001' ) TO lt_rows.
    APPEND relationship( iv_id = `9e2b7c10-4a1d-4f0e-8c3b-5d6e7f805003` is_rel = lena_bur011( )
                         iv_change = zif_mai_event=>c_change-created iv_at = '20261201080002' ) TO lt_rows.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_event_payload=>body( lt_rows )
                                        exp = golden( `batch.json` ) ).
    " One row is sent as an object, not as an array of one.
    DELETE lt_rows FROM 2.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_event_payload=>body( lt_rows )
                                        exp = zcl_mai_event_payload=>event( lt_rows[ 1 ] ) ).
  ENDMETHOD.

ENDCLASS.


CLASS ltcl_keys DEFINITION FINAL FOR TESTING DURATION SHORT RISK LEVEL HARMLESS.
  PRIVATE SECTION.
    METHODS guids_hyphenated_lower_case FOR TESTING.
    METHODS partners_are_alpha FOR TESTING.
    METHODS no_time_no_changed_at FOR TESTING.
ENDCLASS.


CLASS ltcl_keys IMPLEMENTATION.

  METHOD guids_hyphenated_lower_case.
    DATA lv_raw TYPE x LENGTH 16 VALUE '0050568C2B4F1EE8A1B2C3D4E5F60718'.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_event_payload=>activity_key( lv_raw )
                                        exp = `0050568c-2b4f-1ee8-a1b2-c3d4e5f60718` ).
  ENDMETHOD.

  METHOD partners_are_alpha.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_event_payload=>partner_key( `4711` ) exp = `0000004711` ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_event_payload=>partner_key( `0000004711` )
                                        exp = `0000004711` ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_event_payload=>partner_key( `ACME1` ) exp = `ACME1` ).
  ENDMETHOD.

  METHOD no_time_no_changed_at.
    DATA ls_row TYPE zmai_outbox.
    ls_row-event_id = 'e1'.
    ls_row-object_type = zif_mai_event=>c_object_type-partner.
    ls_row-object_key = '0000004711'.
    ls_row-change_kind = zif_mai_event=>c_change-changed.
    cl_abap_unit_assert=>assert_equals(
      act = zcl_mai_event_payload=>event( ls_row )
      exp = `{"eventId":"e1","objectType":"BUS1006","objectKey":"0000004711","change":"changed"}` ).
  ENDMETHOD.

ENDCLASS.
