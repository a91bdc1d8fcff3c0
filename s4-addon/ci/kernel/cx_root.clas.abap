* The kernel's exception root class, as far as the Node.js run needs it.
CLASS cx_root DEFINITION PUBLIC ABSTRACT CREATE PUBLIC.
  PUBLIC SECTION.
    DATA previous TYPE REF TO cx_root READ-ONLY.
    METHODS constructor IMPORTING previous TYPE REF TO cx_root OPTIONAL.
    METHODS get_text RETURNING VALUE(result) TYPE string.
ENDCLASS.

CLASS cx_root IMPLEMENTATION.
  METHOD constructor.
    me->previous = previous.
  ENDMETHOD.
  METHOD get_text.
    result = 'exception'.
  ENDMETHOD.
ENDCLASS.
