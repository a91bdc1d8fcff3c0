"! <p class="shorttext synchronized">maiconnect: CRM one-order header</p>
"! Reads the header from the one-order buffer (CRM_ORDERADM_H_READ_OW), so
"! it sees documents that are being created or deleted in this LUW; whether
"! the document is new is whether CRMD_ORDERADM_H already has it.
CLASS zcl_mai_activity_reader_crm DEFINITION PUBLIC FINAL CREATE PUBLIC.

  PUBLIC SECTION.
    INTERFACES zif_mai_activity_reader.

ENDCLASS.



CLASS zcl_mai_activity_reader_crm IMPLEMENTATION.

  METHOD zif_mai_activity_reader~header.
    DATA ls_orderadm_h TYPE crmt_orderadm_h_wrk.
    DATA lv_guid TYPE crmt_object_guid.
    lv_guid = iv_guid.
    CALL FUNCTION 'CRM_ORDERADM_H_READ_OW'
      EXPORTING
        iv_orderadm_h_guid     = lv_guid
      IMPORTING
        es_orderadm_h_wrk      = ls_orderadm_h
      EXCEPTIONS
        admin_header_not_found = 1
        OTHERS                 = 2.
    IF sy-subrc <> 0.
      RETURN.
    ENDIF.
    CASE ls_orderadm_h-object_type.
      WHEN zif_mai_event=>c_object_type-appointment OR zif_mai_event=>c_object_type-task.
        rs_header-object_type = ls_orderadm_h-object_type.
      WHEN OTHERS.
        RETURN.
    ENDCASE.
    rs_header-process_type = ls_orderadm_h-process_type.
    SELECT SINGLE @abap_true FROM crmd_orderadm_h WHERE guid = @lv_guid INTO @DATA(lv_stored).
    rs_header-is_new = boolc( lv_stored = abap_false ).
  ENDMETHOD.

ENDCLASS.
