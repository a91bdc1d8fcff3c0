"! <p class="shorttext synchronized">maiconnect: UTC time stamps for the contract</p>
"! Time stamps (TIMESTAMP, UTC, YYYYMMDDhhmmss) as the event contract writes
"! them, and the arithmetic the retry schedule needs, in plain ABAP.
CLASS zcl_mai_time DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    "! 20261127093000 → 2026-11-27T09:30:00Z
    CLASS-METHODS iso_timestamp
      IMPORTING iv_timestamp   TYPE timestamp
      RETURNING VALUE(rv_text) TYPE string.

    "! 20200101 → 2020-01-01; the initial date → empty
    CLASS-METHODS iso_date
      IMPORTING iv_date        TYPE d
      RETURNING VALUE(rv_text) TYPE string.

    "! The time stamp iv_seconds later (earlier when negative).
    CLASS-METHODS add_seconds
      IMPORTING iv_timestamp        TYPE timestamp
                iv_seconds          TYPE i
      RETURNING VALUE(rv_timestamp) TYPE timestamp.

    "! A long time stamp to the second (fractions dropped).
    CLASS-METHODS to_seconds
      IMPORTING iv_timestampl       TYPE timestampl
      RETURNING VALUE(rv_timestamp) TYPE timestamp.

  PRIVATE SECTION.
    CLASS-METHODS split
      IMPORTING iv_timestamp TYPE timestamp
      EXPORTING ev_date      TYPE d
                ev_time      TYPE t.

ENDCLASS.



CLASS zcl_mai_time IMPLEMENTATION.

  METHOD iso_timestamp.
    DATA lv_date TYPE d.
    DATA lv_time TYPE t.
    split( EXPORTING iv_timestamp = iv_timestamp
           IMPORTING ev_date = lv_date ev_time = lv_time ).
    rv_text = |{ iso_date( lv_date ) }T{ lv_time(2) }:{ lv_time+2(2) }:{ lv_time+4(2) }Z|.
  ENDMETHOD.

  METHOD iso_date.
    IF iv_date IS INITIAL.
      RETURN.
    ENDIF.
    rv_text = |{ iv_date(4) }-{ iv_date+4(2) }-{ iv_date+6(2) }|.
  ENDMETHOD.

  METHOD add_seconds.
    CONSTANTS lc_day TYPE i VALUE 86400.
    DATA lv_date TYPE d.
    DATA lv_time TYPE t.
    DATA lv_days TYPE i.
    DATA lv_second TYPE i.
    DATA lv_day_digits TYPE n LENGTH 8.
    split( EXPORTING iv_timestamp = iv_timestamp
           IMPORTING ev_date = lv_date ev_time = lv_time ).
    lv_second = lv_time(2) * 3600 + lv_time+2(2) * 60 + lv_time+4(2) + iv_seconds.
    lv_days = lv_second DIV lc_day.
    lv_second = lv_second MOD lc_day.
    lv_date = lv_date + lv_days.
    " A date in arithmetic counts days; its digits are wanted here.
    lv_day_digits = lv_date.
    rv_timestamp = lv_day_digits * 1000000
                 + ( lv_second DIV 3600 ) * 10000
                 + ( lv_second MOD 3600 DIV 60 ) * 100
                 + lv_second MOD 60.
  ENDMETHOD.

  METHOD to_seconds.
    rv_timestamp = trunc( iv_timestampl ).
  ENDMETHOD.

  METHOD split.
    DATA lv_digits TYPE n LENGTH 14.
    lv_digits = iv_timestamp.
    ev_date = lv_digits(8).
    ev_time = lv_digits+8(6).
  ENDMETHOD.

ENDCLASS.
