CLASS ltcl_schedule DEFINITION FINAL FOR TESTING DURATION SHORT RISK LEVEL HARMLESS.
  PRIVATE SECTION.
    METHODS doubles_from_one_minute FOR TESTING.
    METHODS stops_at_the_cap FOR TESTING.
    METHODS many_attempts_do_not_overflow FOR TESTING.
    METHODS cap_below_a_minute_is_a_minute FOR TESTING.
    METHODS next_try_is_now_plus_delay FOR TESTING.
ENDCLASS.


CLASS ltcl_schedule IMPLEMENTATION.

  METHOD doubles_from_one_minute.
    DATA(lo_cut) = NEW zcl_mai_retry_schedule( 3600 ).
    cl_abap_unit_assert=>assert_equals( act = lo_cut->delay( 1 ) exp = 60 ).
    cl_abap_unit_assert=>assert_equals( act = lo_cut->delay( 2 ) exp = 120 ).
    cl_abap_unit_assert=>assert_equals( act = lo_cut->delay( 3 ) exp = 240 ).
    cl_abap_unit_assert=>assert_equals( act = lo_cut->delay( 6 ) exp = 1920 ).
  ENDMETHOD.

  METHOD stops_at_the_cap.
    DATA(lo_cut) = NEW zcl_mai_retry_schedule( 3600 ).
    cl_abap_unit_assert=>assert_equals( act = lo_cut->delay( 7 ) exp = 3600 ).
    cl_abap_unit_assert=>assert_equals( act = lo_cut->delay( 8 ) exp = 3600 ).
  ENDMETHOD.

  METHOD many_attempts_do_not_overflow.
    DATA(lo_cut) = NEW zcl_mai_retry_schedule( 3600 ).
    cl_abap_unit_assert=>assert_equals( act = lo_cut->delay( 100000 ) exp = 3600 ).
  ENDMETHOD.

  METHOD cap_below_a_minute_is_a_minute.
    DATA(lo_cut) = NEW zcl_mai_retry_schedule( 0 ).
    cl_abap_unit_assert=>assert_equals( act = lo_cut->delay( 5 ) exp = 60 ).
  ENDMETHOD.

  METHOD next_try_is_now_plus_delay.
    DATA(lo_cut) = NEW zcl_mai_retry_schedule( 3600 ).
    cl_abap_unit_assert=>assert_equals( act = lo_cut->next_try( iv_now = '20261127235900' iv_attempts = 2 )
                                        exp = '20261128000100' ).
  ENDMETHOD.

ENDCLASS.
