CLASS ltcl_filter DEFINITION FINAL FOR TESTING DURATION SHORT RISK LEVEL HARMLESS.
  PRIVATE SECTION.
    DATA mo_cut TYPE REF TO zcl_mai_event_filter.
    METHODS setup.
    METHODS listed_transaction_types_only FOR TESTING.
    METHODS appointment_types_not_tasks FOR TESTING.
    METHODS listed_categories_only FOR TESTING.
    METHODS partners_always FOR TESTING.
    METHODS nothing_listed_nothing_sent FOR TESTING.
    METHODS unknown_object_types_never FOR TESTING.
ENDCLASS.


CLASS ltcl_filter IMPLEMENTATION.

  METHOD setup.
    DATA lt_filters TYPE zif_mai_config=>ty_filters.
    APPEND VALUE #( object_type = zif_mai_event=>c_object_type-appointment code = 'ZMAI' ) TO lt_filters.
    APPEND VALUE #( object_type = zif_mai_event=>c_object_type-task code = 'ztsk' ) TO lt_filters.
    APPEND VALUE #( object_type = zif_mai_event=>c_object_type-relationship code = 'BUR001' ) TO lt_filters.
    APPEND VALUE #( object_type = zif_mai_event=>c_object_type-relationship code = 'BUR011' ) TO lt_filters.
    mo_cut = NEW #( lt_filters ).
  ENDMETHOD.

  METHOD listed_transaction_types_only.
    cl_abap_unit_assert=>assert_equals(
      act = mo_cut->is_wanted( iv_object_type = zif_mai_event=>c_object_type-appointment iv_code = 'ZMAI' )
      exp = abap_true ).
    cl_abap_unit_assert=>assert_equals(
      act = mo_cut->is_wanted( iv_object_type = zif_mai_event=>c_object_type-appointment iv_code = 'zmai' )
      exp = abap_true ).
    cl_abap_unit_assert=>assert_equals(
      act = mo_cut->is_wanted( iv_object_type = zif_mai_event=>c_object_type-appointment iv_code = '0001' )
      exp = abap_false ).
    cl_abap_unit_assert=>assert_equals(
      act = mo_cut->is_wanted( iv_object_type = zif_mai_event=>c_object_type-task iv_code = 'ZTSK' )
      exp = abap_true ).
  ENDMETHOD.

  METHOD appointment_types_not_tasks.
    cl_abap_unit_assert=>assert_equals(
      act = mo_cut->is_wanted( iv_object_type = zif_mai_event=>c_object_type-task iv_code = 'ZMAI' )
      exp = abap_false ).
  ENDMETHOD.

  METHOD listed_categories_only.
    cl_abap_unit_assert=>assert_equals(
      act = mo_cut->is_wanted( iv_object_type = zif_mai_event=>c_object_type-relationship iv_code = 'BUR011' )
      exp = abap_true ).
    cl_abap_unit_assert=>assert_equals(
      act = mo_cut->is_wanted( iv_object_type = zif_mai_event=>c_object_type-relationship iv_code = 'BUR010' )
      exp = abap_false ).
  ENDMETHOD.

  METHOD partners_always.
    cl_abap_unit_assert=>assert_equals( act = mo_cut->is_wanted( zif_mai_event=>c_object_type-partner )
                                        exp = abap_true ).
  ENDMETHOD.

  METHOD nothing_listed_nothing_sent.
    DATA lt_none TYPE zif_mai_config=>ty_filters.
    DATA(lo_empty) = NEW zcl_mai_event_filter( lt_none ).
    cl_abap_unit_assert=>assert_equals(
      act = lo_empty->is_wanted( iv_object_type = zif_mai_event=>c_object_type-appointment iv_code = 'ZMAI' )
      exp = abap_false ).
    cl_abap_unit_assert=>assert_equals(
      act = mo_cut->is_wanted( iv_object_type = zif_mai_event=>c_object_type-appointment iv_code = '' )
      exp = abap_false ).
  ENDMETHOD.

  METHOD unknown_object_types_never.
    cl_abap_unit_assert=>assert_equals( act = mo_cut->is_wanted( iv_object_type = 'BUS2000116' iv_code = 'ZMAI' )
                                        exp = abap_false ).
  ENDMETHOD.

ENDCLASS.
