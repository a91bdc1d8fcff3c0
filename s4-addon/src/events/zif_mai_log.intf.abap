"! <p class="shorttext synchronized">maiconnect: application log</p>
INTERFACE zif_mai_log PUBLIC.

  CONSTANTS:
    BEGIN OF c_severity,
      error   TYPE c LENGTH 1 VALUE 'E',
      warning TYPE c LENGTH 1 VALUE 'W',
      info    TYPE c LENGTH 1 VALUE 'I',
    END OF c_severity.

  METHODS add
    IMPORTING iv_severity TYPE c
              iv_text     TYPE csequence.

  "! Writes what was added (SLG1), if anything.
  METHODS save.

ENDINTERFACE.
