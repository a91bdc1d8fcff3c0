CLASS ltcl_json DEFINITION FINAL FOR TESTING DURATION SHORT RISK LEVEL HARMLESS.
  PRIVATE SECTION.
    METHODS strings_are_quoted_and_escaped FOR TESTING.
    METHODS objects_arrays_without_blanks FOR TESTING.
    METHODS empty_object_and_array FOR TESTING.
ENDCLASS.


CLASS ltcl_json IMPLEMENTATION.

  METHOD strings_are_quoted_and_escaped.
    DATA lv_field TYPE c LENGTH 10 VALUE 'BUR001'.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_json=>string( lv_field ) exp = `"BUR001"` ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_json=>string( `a"b\c` ) exp = `"a\"b\\c"` ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_json=>string( `` ) exp = `""` ).
  ENDMETHOD.

  METHOD objects_arrays_without_blanks.
    DATA lt_members TYPE string_table.
    DATA lt_values TYPE string_table.
    APPEND zcl_mai_json=>member( iv_name = `a` iv_json = zcl_mai_json=>string( `x` ) ) TO lt_members.
    APPEND zcl_mai_json=>member( iv_name = `b` iv_json = zcl_mai_json=>c_null ) TO lt_members.
    DATA(lv_object) = zcl_mai_json=>object( lt_members ).
    cl_abap_unit_assert=>assert_equals( act = lv_object exp = `{"a":"x","b":null}` ).
    APPEND lv_object TO lt_values.
    APPEND lv_object TO lt_values.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_json=>array( lt_values )
                                        exp = `[{"a":"x","b":null},{"a":"x","b":null}]` ).
  ENDMETHOD.

  METHOD empty_object_and_array.
    DATA lt_none TYPE string_table.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_json=>object( lt_none ) exp = `{}` ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_json=>array( lt_none ) exp = `[]` ).
  ENDMETHOD.

ENDCLASS.
