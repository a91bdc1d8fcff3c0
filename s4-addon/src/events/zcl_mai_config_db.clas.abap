"! <p class="shorttext synchronized">maiconnect: customizing tables</p>
CLASS zcl_mai_config_db DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    INTERFACES zif_mai_config.

ENDCLASS.



CLASS zcl_mai_config_db IMPLEMENTATION.

  METHOD zif_mai_config~settings.
    SELECT SINGLE rfcdest, batch_size, max_delay, warn_after, retain_days
      FROM zmai_config
      INTO CORRESPONDING FIELDS OF @rs_settings.
    IF rs_settings-batch_size <= 0.
      rs_settings-batch_size = zif_mai_config=>c_default-batch_size.
    ENDIF.
    IF rs_settings-max_delay <= 0.
      rs_settings-max_delay = zif_mai_config=>c_default-max_delay.
    ENDIF.
    IF rs_settings-warn_after <= 0.
      rs_settings-warn_after = zif_mai_config=>c_default-warn_after.
    ENDIF.
    IF rs_settings-retain_days <= 0.
      rs_settings-retain_days = zif_mai_config=>c_default-retain_days.
    ENDIF.
  ENDMETHOD.

  METHOD zif_mai_config~filters.
    SELECT object_type, code FROM zmai_filter INTO CORRESPONDING FIELDS OF TABLE @rt_filters.
  ENDMETHOD.

ENDCLASS.
