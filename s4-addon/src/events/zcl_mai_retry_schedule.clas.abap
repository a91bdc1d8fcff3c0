"! <p class="shorttext synchronized">maiconnect: back-off between tries</p>
"! A row the hub did not take is tried again after 1, 2, 4, 8 … minutes,
"! at most after max_delay seconds (default one hour), and never given up:
"! the hub drops repeated deliveries by eventId, so retrying is harmless,
"! and losing an event is not.
CLASS zcl_mai_retry_schedule DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    CONSTANTS c_first_delay TYPE i VALUE 60.

    METHODS constructor
      IMPORTING iv_max_delay TYPE i.

    "! Seconds to wait after the iv_attempts-th failed try (1, 2, …).
    METHODS delay
      IMPORTING iv_attempts       TYPE i
      RETURNING VALUE(rv_seconds) TYPE i.

    "! When to try again after the iv_attempts-th failed try at iv_now.
    METHODS next_try
      IMPORTING iv_now       TYPE timestamp
                iv_attempts  TYPE i
      RETURNING VALUE(rv_at) TYPE timestamp.

  PRIVATE SECTION.
    DATA mv_max_delay TYPE i.

ENDCLASS.



CLASS zcl_mai_retry_schedule IMPLEMENTATION.

  METHOD constructor.
    mv_max_delay = nmax( val1 = iv_max_delay val2 = c_first_delay ).
  ENDMETHOD.

  METHOD delay.
    rv_seconds = c_first_delay.
    DO iv_attempts - 1 TIMES.
      IF rv_seconds >= mv_max_delay.
        EXIT.
      ENDIF.
      rv_seconds = rv_seconds * 2.
    ENDDO.
    rv_seconds = nmin( val1 = rv_seconds val2 = mv_max_delay ).
  ENDMETHOD.

  METHOD next_try.
    rv_at = zcl_mai_time=>add_seconds( iv_timestamp = iv_now iv_seconds = delay( iv_attempts ) ).
  ENDMETHOD.

ENDCLASS.
