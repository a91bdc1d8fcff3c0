"! <p class="shorttext synchronized">maiconnect: customizing</p>
"! ZMAI_CONFIG (the sender) and ZMAI_FILTER (what is recorded).
INTERFACE zif_mai_config PUBLIC.

  TYPES:
    BEGIN OF ty_settings,
      "! SM59 destination (type G) to the hub's /s4/events
      rfcdest       TYPE c LENGTH 32,
      "! events per POST
      batch_size    TYPE i,
      "! longest wait between two tries of a row, in seconds
      max_delay     TYPE i,
      "! tries after which a row is reported as failing
      warn_after    TYPE i,
      "! days sent rows are kept
      retain_days   TYPE i,
    END OF ty_settings.

  TYPES:
    BEGIN OF ty_filter,
      "! BUS2000126, BUS2000125 or relationship
      object_type TYPE zif_mai_event=>ty_object_type,
      "! transaction type (activities) or relationship category
      code        TYPE c LENGTH 6,
    END OF ty_filter.
  TYPES ty_filters TYPE STANDARD TABLE OF ty_filter WITH EMPTY KEY.

  CONSTANTS:
    BEGIN OF c_default,
      batch_size  TYPE i VALUE 100,
      max_delay   TYPE i VALUE 3600,
      warn_after  TYPE i VALUE 10,
      retain_days TYPE i VALUE 7,
    END OF c_default.

  "! The sender's settings, defaults filled in.
  METHODS settings
    RETURNING VALUE(rs_settings) TYPE ty_settings.

  METHODS filters
    RETURNING VALUE(rt_filters) TYPE ty_filters.

ENDINTERFACE.
