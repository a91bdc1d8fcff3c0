CLASS ltd_store DEFINITION FINAL FOR TESTING.
  PUBLIC SECTION.
    INTERFACES zif_mai_outbox_store.
    DATA mt_added TYPE zif_mai_event=>ty_rows.
ENDCLASS.


CLASS ltd_store IMPLEMENTATION.
  METHOD zif_mai_outbox_store~add.
    APPEND LINES OF it_rows TO mt_added.
  ENDMETHOD.
  METHOD zif_mai_outbox_store~open_rows.
    rt_rows = mt_added.
  ENDMETHOD.
  METHOD zif_mai_outbox_store~save.
    RETURN.
  ENDMETHOD.
  METHOD zif_mai_outbox_store~delete_sent_before.
    rv_count = 0.
  ENDMETHOD.
ENDCLASS.


CLASS ltd_system DEFINITION FINAL FOR TESTING.
  PUBLIC SECTION.
    INTERFACES zif_mai_system.
    DATA mv_now TYPE timestampl.
    DATA mv_count TYPE i.
ENDCLASS.


CLASS ltd_system IMPLEMENTATION.
  METHOD zif_mai_system~now.
    rv_now = mv_now.
  ENDMETHOD.
  METHOD zif_mai_system~new_event_id.
    mv_count = mv_count + 1.
    rv_id = |id-{ mv_count }|.
  ENDMETHOD.
ENDCLASS.


CLASS ltcl_recorder DEFINITION FINAL FOR TESTING DURATION SHORT RISK LEVEL HARMLESS.
  PRIVATE SECTION.
    DATA mo_store TYPE REF TO ltd_store.
    DATA mo_system TYPE REF TO ltd_system.
    DATA mo_cut TYPE REF TO zcl_mai_event_recorder.

    METHODS setup.
    METHODS bur011
      RETURNING VALUE(rs_rel) TYPE zif_mai_event=>ty_relationship.

    METHODS configured_appointment_kept FOR TESTING.
    METHODS other_process_types_are_not FOR TESTING.
    METHODS partners_are_recorded_in_alpha FOR TESTING.
    METHODS rows_of_one_tick_keep_order FOR TESTING.
    METHODS relationship_change_kinds FOR TESTING.
    METHODS deleted_relation_last_state FOR TESTING.
    METHODS unlisted_categories_not_kept FOR TESTING.
ENDCLASS.


CLASS ltcl_recorder IMPLEMENTATION.

  METHOD setup.
    DATA lt_filters TYPE zif_mai_config=>ty_filters.
    APPEND VALUE #( object_type = zif_mai_event=>c_object_type-appointment code = 'ZMAI' ) TO lt_filters.
    APPEND VALUE #( object_type = zif_mai_event=>c_object_type-relationship code = 'BUR011' ) TO lt_filters.
    mo_store = NEW #( ).
    mo_system = NEW #( ).
    mo_system->mv_now = '20261127093000.5000000'.
    mo_cut = NEW #( io_store = mo_store io_system = mo_system io_filter = NEW #( lt_filters ) ).
  ENDMETHOD.

  METHOD bur011.
    rs_rel-relnr = '000000000007'.
    rs_rel-partner1 = '0000000300'.
    rs_rel-partner2 = '0000004711'.
    rs_rel-reltyp = 'BUR011'.
    rs_rel-date_from = '20200101'.
    rs_rel-date_to = '99991231'.
  ENDMETHOD.

  METHOD configured_appointment_kept.
    DATA lv_guid TYPE x LENGTH 16 VALUE '0050568C2B4F1EE8A1B2C3D4E5F60718'.
    cl_abap_unit_assert=>assert_equals(
      act = mo_cut->activity( iv_object_type = zif_mai_event=>c_object_type-appointment iv_guid = lv_guid
                              iv_process_type = 'ZMAI' iv_change = zif_mai_event=>c_change-created )
      exp = abap_true ).
    cl_abap_unit_assert=>assert_equals( act = lines( mo_store->mt_added ) exp = 1 ).
    DATA(ls_row) = mo_store->mt_added[ 1 ].
    cl_abap_unit_assert=>assert_equals( act = ls_row-event_id exp = 'id-1' ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-object_type exp = 'BUS2000126' ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-object_key exp = '0050568c-2b4f-1ee8-a1b2-c3d4e5f60718' ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-change_kind exp = 'created' ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-changed_at exp = '20261127093000' ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-status exp = zif_mai_event=>c_status-new ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-attempts exp = 0 ).
  ENDMETHOD.

  METHOD other_process_types_are_not.
    DATA lv_guid TYPE x LENGTH 16 VALUE '0050568C2B4F1EE8A1B2C3D4E5F60718'.
    cl_abap_unit_assert=>assert_equals(
      act = mo_cut->activity( iv_object_type = zif_mai_event=>c_object_type-task iv_guid = lv_guid
                              iv_process_type = 'ZMAI' iv_change = zif_mai_event=>c_change-changed )
      exp = abap_false ).
    cl_abap_unit_assert=>assert_equals(
      act = mo_cut->activity( iv_object_type = zif_mai_event=>c_object_type-appointment iv_guid = lv_guid
                              iv_process_type = '0001' iv_change = zif_mai_event=>c_change-changed )
      exp = abap_false ).
    cl_abap_unit_assert=>assert_equals( act = lines( mo_store->mt_added ) exp = 0 ).
  ENDMETHOD.

  METHOD partners_are_recorded_in_alpha.
    mo_cut->partner( iv_partner = '4711' iv_change = zif_mai_event=>c_change-changed ).
    cl_abap_unit_assert=>assert_equals( act = mo_store->mt_added[ 1 ]-object_key exp = '0000004711' ).
    cl_abap_unit_assert=>assert_equals( act = mo_store->mt_added[ 1 ]-object_type exp = 'BUS1006' ).
  ENDMETHOD.

  METHOD rows_of_one_tick_keep_order.
    mo_cut->partner( iv_partner = '1' iv_change = zif_mai_event=>c_change-changed ).
    mo_cut->partner( iv_partner = '2' iv_change = zif_mai_event=>c_change-changed ).
    mo_cut->partner( iv_partner = '3' iv_change = zif_mai_event=>c_change-changed ).
    DATA(lt_rows) = mo_store->mt_added.
    cl_abap_unit_assert=>assert_equals( act = lines( lt_rows ) exp = 3 ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 2 ]-ordinal exp = lt_rows[ 1 ]-ordinal + 1 ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 3 ]-ordinal exp = lt_rows[ 2 ]-ordinal + 1 ).
    cl_abap_unit_assert=>assert_equals( act = lt_rows[ 3 ]-changed_at exp = '20261127093000' ).
  ENDMETHOD.

  METHOD relationship_change_kinds.
    DATA ls_none TYPE zif_mai_event=>ty_relationship.
    DATA(ls_before) = bur011( ).
    DATA(ls_after) = bur011( ).
    cl_abap_unit_assert=>assert_equals(
      act = zcl_mai_event_recorder=>relationship_change( is_before = ls_none is_after = ls_after )
      exp = zif_mai_event=>c_change-created ).
    cl_abap_unit_assert=>assert_equals(
      act = zcl_mai_event_recorder=>relationship_change( is_before = ls_before is_after = ls_none )
      exp = zif_mai_event=>c_change-deleted ).
    cl_abap_unit_assert=>assert_equals(
      act = zcl_mai_event_recorder=>relationship_change( is_before = ls_before is_after = ls_after )
      exp = '' ).
    ls_after-date_to = '20261129'.
    cl_abap_unit_assert=>assert_equals(
      act = zcl_mai_event_recorder=>relationship_change( is_before = ls_before is_after = ls_after )
      exp = zif_mai_event=>c_change-changed ).
    mo_cut->relationship( is_before = ls_before is_after = ls_after ).
    DATA(ls_row) = mo_store->mt_added[ 1 ].
    cl_abap_unit_assert=>assert_equals( act = ls_row-object_key exp = '0000000300/0000004711/BUR011' ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-rel_valid_to exp = '20261129' ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-change_kind exp = 'changed' ).
  ENDMETHOD.

  METHOD deleted_relation_last_state.
    DATA ls_none TYPE zif_mai_event=>ty_relationship.
    mo_cut->relationship( is_before = bur011( ) is_after = ls_none ).
    DATA(ls_row) = mo_store->mt_added[ 1 ].
    cl_abap_unit_assert=>assert_equals( act = ls_row-change_kind exp = 'deleted' ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-rel_from exp = '0000000300' ).
    cl_abap_unit_assert=>assert_equals( act = ls_row-rel_valid_from exp = '20200101' ).
  ENDMETHOD.

  METHOD unlisted_categories_not_kept.
    DATA ls_none TYPE zif_mai_event=>ty_relationship.
    DATA(ls_other) = bur011( ).
    ls_other-reltyp = 'BUR010'.
    cl_abap_unit_assert=>assert_equals( act = mo_cut->relationship( is_before = ls_none is_after = ls_other )
                                        exp = abap_false ).
    cl_abap_unit_assert=>assert_equals( act = lines( mo_store->mt_added ) exp = 0 ).
  ENDMETHOD.

ENDCLASS.
