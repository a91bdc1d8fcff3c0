CLASS ltcl_time DEFINITION FINAL FOR TESTING DURATION SHORT RISK LEVEL HARMLESS.
  PRIVATE SECTION.
    METHODS iso_forms FOR TESTING.
    METHODS adding_crosses_days_and_months FOR TESTING.
    METHODS adding_a_negative_amount FOR TESTING.
    METHODS fractions_are_dropped FOR TESTING.
ENDCLASS.


CLASS ltcl_time IMPLEMENTATION.

  METHOD iso_forms.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_time=>iso_timestamp( '20261127093000' )
                                        exp = `2026-11-27T09:30:00Z` ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_time=>iso_timestamp( '20260101000501' )
                                        exp = `2026-01-01T00:05:01Z` ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_time=>iso_date( '99991231' ) exp = `9999-12-31` ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_time=>iso_date( '00000000' ) exp = `` ).
  ENDMETHOD.

  METHOD adding_crosses_days_and_months.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_time=>add_seconds( iv_timestamp = '20261130235930'
                                                                         iv_seconds = 60 )
                                        exp = '20261201000030' ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_time=>add_seconds( iv_timestamp = '20261231230000'
                                                                         iv_seconds = 3600 )
                                        exp = '20270101000000' ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_time=>add_seconds( iv_timestamp = '20280228120000'
                                                                         iv_seconds = 86400 )
                                        exp = '20280229120000' ).
  ENDMETHOD.

  METHOD adding_a_negative_amount.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_time=>add_seconds( iv_timestamp = '20261201000010'
                                                                         iv_seconds = -20 )
                                        exp = '20261130235950' ).
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_time=>add_seconds( iv_timestamp = '20261208120000'
                                                                         iv_seconds = -7 * 86400 )
                                        exp = '20261201120000' ).
  ENDMETHOD.

  METHOD fractions_are_dropped.
    cl_abap_unit_assert=>assert_equals( act = zcl_mai_time=>to_seconds( '20261127093000.9999999' )
                                        exp = '20261127093000' ).
  ENDMETHOD.

ENDCLASS.
