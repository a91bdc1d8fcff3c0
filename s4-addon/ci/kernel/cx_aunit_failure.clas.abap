* Raised by the stand-in CL_ABAP_UNIT_ASSERT (Node.js run only).
CLASS cx_aunit_failure DEFINITION PUBLIC INHERITING FROM cx_no_check CREATE PUBLIC.
  PUBLIC SECTION.
    DATA text TYPE string READ-ONLY.
    METHODS constructor IMPORTING text TYPE csequence OPTIONAL.
ENDCLASS.

CLASS cx_aunit_failure IMPLEMENTATION.
  METHOD constructor.
    super->constructor( ).
    me->text = text.
  ENDMETHOD.
ENDCLASS.
