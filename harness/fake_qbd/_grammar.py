"""The element order of the qbXML 13.0 aggregates the fake understands.

Each entry lists a request or return aggregate's child elements in the order the qbXML 13.0
schema (qbxml130.xsd, qbxmlops130.xsd) declares them, with groups inlined and choices
flattened into optional members. Suffixes: none = required once, ``?`` optional, ``*`` any
number, ``+`` at least one. Only names and their order are kept here: the schema itself is
Intuit's and is used at test time only (tests validate every response against it).

QuickBooks' request processor rejects a request whose elements are out of order or unknown
with a parse error (HRESULT 0x80040400, QBWC-FACTS.md), so order is checked on the way in;
the renderers use the ``*Ret`` orders on the way out.
"""

from __future__ import annotations

#: Request aggregates (``*Rq`` bodies and the aggregates nested in them).
REQUEST_ORDER: dict[str, str] = {
    "HostQueryRq": "IncludeListMetaData? IncludeRetElement*",
    "CompanyQueryRq": "IncludeRetElement* OwnerID*",
    "PreferencesQueryRq": "IncludeRetElement*",
    "TemplateQueryRq": "IncludeRetElement*",
    "ClassAddRq": "ClassAdd IncludeRetElement*",
    "ClassAdd": "Name IsActive? ParentRef?",
    "ClassQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? IncludeRetElement*"
    ),
    "StandardTermsAddRq": "StandardTermsAdd IncludeRetElement*",
    "StandardTermsAdd": "Name IsActive? StdDueDays? StdDiscountDays? DiscountPct?",
    "StandardTermsQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? IncludeRetElement*"
    ),
    "TermsQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? IncludeRetElement*"
    ),
    "EmployeeAddRq": "EmployeeAdd IncludeRetElement*",
    "EmployeeAdd": (
        "Name? IsActive? Salutation? FirstName? MiddleName? LastName? Suffix? JobTitle? "
        "SupervisorRef? Department? Description? TargetBonus? EmployeeAddress? PrintAs? "
        "Phone? Mobile? Pager? PagerPIN? AltPhone? Fax? SSN? Email? AdditionalContactRef? "
        "EmergencyContacts? EmployeeType? PartOrFullTime? Exempt? KeyEmployee? Gender? "
        "HiredDate? OriginalHireDate? AdjustedServiceDate? ReleasedDate? BirthDate? "
        "USCitizen? Ethnicity? Disabled? DisabilityDesc? OnFile? WorkAuthExpireDate? "
        "USVeteran? MilitaryStatus? AccountNumber? Notes? AdditionalNotes* BillingRateRef? "
        "EmployeePayrollInfo? ExternalGUID?"
    ),
    "EmployeeQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? IncludeRetElement* OwnerID*"
    ),
    "AccountAddRq": "AccountAdd IncludeRetElement*",
    "AccountAdd": (
        "Name IsActive? ParentRef? AccountType DetailAccountType? AccountNumber? "
        "BankNumber? Desc? OpenBalance? OpenBalanceDate? SalesTaxCodeRef? TaxLineID? "
        "CurrencyRef?"
    ),
    "AccountModRq": "AccountMod IncludeRetElement*",
    "AccountMod": (
        "ListID EditSequence Name? IsActive? ParentRef? AccountType? AccountNumber? "
        "BankNumber? Desc? OpenBalance? OpenBalanceDate? SalesTaxCodeRef? TaxLineID? "
        "CurrencyRef?"
    ),
    "AccountQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? AccountType* CurrencyFilter? IncludeRetElement* "
        "OwnerID*"
    ),
    "CustomerAddRq": "CustomerAdd IncludeRetElement*",
    "CustomerAdd": (
        "Name IsActive? ClassRef? ParentRef? CompanyName? Salutation? FirstName? "
        "MiddleName? LastName? Suffix? JobTitle? BillAddress? ShipAddress? ShipToAddress* "
        "PrintAs? Phone? Mobile? Pager? AltPhone? Fax? Email? Cc? Contact? AltContact? "
        "AdditionalContactRef* Contacts* CustomerTypeRef? TermsRef? SalesRepRef? "
        "OpenBalance? OpenBalanceDate? SalesTaxCodeRef? ItemSalesTaxRef? SalesTaxCountry? "
        "ResaleNumber? AccountNumber? CreditLimit? PreferredPaymentMethodRef? "
        "CreditCardInfo? JobStatus? JobStartDate? JobProjectedEndDate? JobEndDate? "
        "JobDesc? JobTypeRef? Notes? AdditionalNotes* IsStatementWithParent? "
        "DeliveryMethod? PreferredDeliveryMethod? PriceLevelRef? ExternalGUID? "
        "TaxRegistrationNumber? CurrencyRef?"
    ),
    "CustomerModRq": "CustomerMod IncludeRetElement*",
    "CustomerMod": (
        "ListID EditSequence Name? IsActive? ClassRef? ParentRef? CompanyName? "
        "Salutation? FirstName? MiddleName? LastName? Suffix? JobTitle? BillAddress? "
        "ShipAddress? ShipToAddress* PrintAs? Phone? Mobile? Pager? AltPhone? Fax? Email? "
        "Cc? Contact? AltContact? AdditionalContactRef* ContactsMod* CustomerTypeRef? "
        "TermsRef? SalesRepRef? SalesTaxCodeRef? ItemSalesTaxRef? SalesTaxCountry? "
        "ResaleNumber? AccountNumber? CreditLimit? PreferredPaymentMethodRef? "
        "CreditCardInfo? JobStatus? JobStartDate? JobProjectedEndDate? JobEndDate? "
        "JobDesc? JobTypeRef? Notes? AdditionalNotesMod* IsStatementWithParent? "
        "DeliveryMethod? PreferredDeliveryMethod? PriceLevelRef? TaxRegistrationNumber? "
        "CurrencyRef?"
    ),
    "CustomerQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? TotalBalanceFilter? CurrencyFilter? ClassFilter? "
        "IncludeRetElement* OwnerID*"
    ),
    "ItemServiceAddRq": "ItemServiceAdd IncludeRetElement*",
    "ItemServiceAdd": (
        "Name BarCode? IsActive? ClassRef? ParentRef? UnitOfMeasureSetRef? IsTaxIncluded? "
        "SalesTaxCodeRef? SalesOrPurchase? SalesAndPurchase? ExternalGUID?"
    ),
    "ItemServiceModRq": "ItemServiceMod IncludeRetElement*",
    "ItemServiceMod": (
        "ListID EditSequence Name? BarCode? IsActive? ClassRef? ParentRef? "
        "UnitOfMeasureSetRef? ForceUOMChange? IsTaxIncluded? SalesTaxCodeRef? "
        "SalesOrPurchaseMod? SalesAndPurchaseMod?"
    ),
    "ItemServiceQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? ClassFilter? IncludeRetElement* OwnerID*"
    ),
    "ItemNonInventoryAddRq": "ItemNonInventoryAdd IncludeRetElement*",
    "ItemNonInventoryAdd": (
        "Name BarCode? IsActive? ParentRef? ClassRef? ManufacturerPartNumber? "
        "UnitOfMeasureSetRef? IsTaxIncluded? SalesTaxCodeRef? SalesOrPurchase? "
        "SalesAndPurchase? ExternalGUID?"
    ),
    "ItemNonInventoryModRq": "ItemNonInventoryMod IncludeRetElement*",
    "ItemNonInventoryMod": (
        "ListID EditSequence Name? BarCode? IsActive? ClassRef? ParentRef? "
        "ManufacturerPartNumber? UnitOfMeasureSetRef? ForceUOMChange? IsTaxIncluded? "
        "SalesTaxCodeRef? SalesOrPurchaseMod? SalesAndPurchaseMod?"
    ),
    "ItemNonInventoryQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? ClassFilter? IncludeRetElement* OwnerID*"
    ),
    "ItemInventoryAddRq": "ItemInventoryAdd IncludeRetElement*",
    "ItemInventoryAdd": (
        "Name BarCode? IsActive? ClassRef? ParentRef? ManufacturerPartNumber? "
        "UnitOfMeasureSetRef? IsTaxIncluded? SalesTaxCodeRef? SalesDesc? SalesPrice? "
        "IncomeAccountRef? PurchaseDesc? PurchaseCost? PurchaseTaxCodeRef? "
        "COGSAccountRef? PrefVendorRef? AssetAccountRef? ReorderPoint? Max? "
        "QuantityOnHand? TotalValue? InventoryDate? ExternalGUID?"
    ),
    "ItemInventoryModRq": "ItemInventoryMod IncludeRetElement*",
    "ItemInventoryMod": (
        "ListID EditSequence Name? BarCode? IsActive? ClassRef? ParentRef? "
        "ManufacturerPartNumber? UnitOfMeasureSetRef? ForceUOMChange? IsTaxIncluded? "
        "SalesTaxCodeRef? SalesDesc? SalesPrice? IncomeAccountRef? "
        "ApplyIncomeAccountRefToExistingTxns? PurchaseDesc? PurchaseCost? "
        "PurchaseTaxCodeRef? COGSAccountRef? ApplyCOGSAccountRefToExistingTxns? "
        "PrefVendorRef? AssetAccountRef? ReorderPoint? Max?"
    ),
    "ItemInventoryQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? ClassFilter? IncludeRetElement* OwnerID*"
    ),
    "PaymentMethodAddRq": "PaymentMethodAdd IncludeRetElement*",
    "PaymentMethodAdd": "Name IsActive? PaymentMethodType?",
    "PaymentMethodQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? PaymentMethodType* IncludeRetElement*"
    ),
    "SalesTaxCodeAddRq": "SalesTaxCodeAdd IncludeRetElement*",
    "SalesTaxCodeAdd": "Name IsActive? IsTaxable Desc? ItemPurchaseTaxRef? ItemSalesTaxRef?",
    "SalesTaxCodeQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? IncludeRetElement*"
    ),
    "InvoiceAddRq": "InvoiceAdd IncludeRetElement*",
    "InvoiceAdd": (
        "CustomerRef ClassRef? ARAccountRef? TemplateRef? TxnDate? RefNumber? "
        "BillAddress? ShipAddress? IsPending? IsFinanceCharge? PONumber? TermsRef? "
        "DueDate? SalesRepRef? FOB? ShipDate? ShipMethodRef? ItemSalesTaxRef? Memo? "
        "CustomerMsgRef? IsToBePrinted? IsToBeEmailed? IsTaxIncluded? "
        "CustomerSalesTaxCodeRef? Other? ExchangeRate? ExternalGUID? LinkToTxnID* "
        "SetCredit* InvoiceLineAdd* InvoiceLineGroupAdd* DiscountLineAdd? "
        "SalesTaxLineAdd? ShippingLineAdd?"
    ),
    "InvoiceLineAdd": (
        "ItemRef? Desc? Quantity? UnitOfMeasure? Rate? RatePercent? PriceLevelRef? "
        "ClassRef? Amount? TaxAmount? OptionForPriceRuleConflict? InventorySiteRef? "
        "InventorySiteLocationRef? SerialNumber? LotNumber? ServiceDate? SalesTaxCodeRef? "
        "IsTaxable? OverrideItemAccountRef? Other1? Other2? LinkToTxn? DataExt*"
    ),
    "BillAddRq": "BillAdd IncludeRetElement*",
    "BillAdd": (
        "VendorRef VendorAddress? APAccountRef? TxnDate? DueDate? RefNumber? TermsRef? Memo? "
        "IsTaxIncluded? SalesTaxCodeRef? ExchangeRate? ExternalGUID? LinkToTxnID* "
        "ExpenseLineAdd* ItemLineAdd* ItemGroupLineAdd*"
    ),
    "ExpenseLineAdd": (
        "AccountRef? Amount? TaxAmount? Memo? CustomerRef? ClassRef? SalesTaxCodeRef? "
        "BillableStatus? SalesRepRef? DataExt*"
    ),
    "BillQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? RefNumberFilter? "
        "RefNumberRangeFilter? CurrencyFilter? PaidStatus? IncludeLineItems? "
        "IncludeLinkedTxns? IncludeRetElement* OwnerID*"
    ),
    "CheckAddRq": "CheckAdd IncludeRetElement*",
    "CheckAdd": (
        "AccountRef PayeeEntityRef? RefNumber? TxnDate? Memo? Address? IsToBePrinted? "
        "IsTaxIncluded? SalesTaxCodeRef? ExchangeRate? ExternalGUID? ApplyCheckToTxnAdd* "
        "ExpenseLineAdd* ItemLineAdd* ItemGroupLineAdd*"
    ),
    "CheckQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? RefNumberFilter? "
        "RefNumberRangeFilter? CurrencyFilter? IncludeLineItems? IncludeLinkedTxns? "
        "IncludeRetElement* OwnerID*"
    ),
    "BillPaymentCheckAddRq": "BillPaymentCheckAdd IncludeRetElement*",
    "BillPaymentCheckAdd": (
        "PayeeEntityRef APAccountRef? TxnDate? BankAccountRef IsToBePrinted? RefNumber? Memo? "
        "ExchangeRate? ExternalGUID? AppliedToTxnAdd+"
    ),
    "BillPaymentCheckQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? RefNumberFilter? "
        "RefNumberRangeFilter? CurrencyFilter? IncludeLineItems? IncludeRetElement* OwnerID*"
    ),
    "SalesReceiptAddRq": "SalesReceiptAdd IncludeRetElement*",
    "SalesReceiptAdd": (
        "CustomerRef? ClassRef? TemplateRef? TxnDate? RefNumber? BillAddress? ShipAddress? "
        "IsPending? CheckNumber? PaymentMethodRef? DueDate? SalesRepRef? ShipDate? "
        "ShipMethodRef? FOB? ItemSalesTaxRef? Memo? CustomerMsgRef? IsToBePrinted? "
        "IsToBeEmailed? IsTaxIncluded? CustomerSalesTaxCodeRef? DepositToAccountRef? "
        "CreditCardTxnInfo? Other? ExchangeRate? ExternalGUID? SalesReceiptLineAdd* "
        "SalesReceiptLineGroupAdd* DiscountLineAdd? SalesTaxLineAdd? ShippingLineAdd?"
    ),
    "SalesReceiptLineAdd": (
        "ItemRef? Desc? Quantity? UnitOfMeasure? Rate? RatePercent? PriceLevelRef? "
        "ClassRef? Amount? TaxAmount? OptionForPriceRuleConflict? InventorySiteRef? "
        "InventorySiteLocationRef? SerialNumber? LotNumber? ServiceDate? SalesTaxCodeRef? "
        "IsTaxable? OverrideItemAccountRef? Other1? Other2? CreditCardTxnInfo? DataExt*"
    ),
    "SalesReceiptQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? RefNumberFilter? "
        "RefNumberRangeFilter? CurrencyFilter? IncludeLineItems? IncludeRetElement* OwnerID*"
    ),
    "EstimateAddRq": "EstimateAdd IncludeRetElement*",
    "EstimateAdd": (
        "CustomerRef ClassRef? TemplateRef? TxnDate? RefNumber? BillAddress? ShipAddress? "
        "IsActive? PONumber? TermsRef? DueDate? SalesRepRef? FOB? ItemSalesTaxRef? Memo? "
        "CustomerMsgRef? IsToBeEmailed? IsTaxIncluded? CustomerSalesTaxCodeRef? Other? "
        "ExchangeRate? ExternalGUID? EstimateLineAdd* EstimateLineGroupAdd*"
    ),
    "EstimateLineAdd": (
        "ItemRef? Desc? Quantity? UnitOfMeasure? Rate? RatePercent? ClassRef? Amount? "
        "TaxAmount? OptionForPriceRuleConflict? InventorySiteRef? InventorySiteLocationRef? "
        "SalesTaxCodeRef? MarkupRate? MarkupRatePercent? PriceLevelRef? "
        "OverrideItemAccountRef? Other1? Other2? DataExt*"
    ),
    "EstimateQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? RefNumberFilter? "
        "RefNumberRangeFilter? CurrencyFilter? IncludeLineItems? IncludeLinkedTxns? "
        "IncludeRetElement* OwnerID*"
    ),
    "SalesOrderAddRq": "SalesOrderAdd IncludeRetElement*",
    "SalesOrderAdd": (
        "CustomerRef ClassRef? TemplateRef? TxnDate? RefNumber? BillAddress? ShipAddress? "
        "PONumber? TermsRef? DueDate? SalesRepRef? FOB? ShipDate? ShipMethodRef? "
        "ItemSalesTaxRef? IsManuallyClosed? Memo? CustomerMsgRef? IsToBePrinted? "
        "IsToBeEmailed? IsTaxIncluded? CustomerSalesTaxCodeRef? Other? ExchangeRate? "
        "ExternalGUID? SalesOrderLineAdd* SalesOrderLineGroupAdd*"
    ),
    "SalesOrderLineAdd": (
        "ItemRef? Desc? Quantity? UnitOfMeasure? Rate? RatePercent? PriceLevelRef? ClassRef? "
        "Amount? TaxAmount? OptionForPriceRuleConflict? InventorySiteRef? "
        "InventorySiteLocationRef? SerialNumber? LotNumber? SalesTaxCodeRef? "
        "IsManuallyClosed? Other1? Other2? DataExt*"
    ),
    "SalesOrderQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? RefNumberFilter? RefNumberRangeFilter? "
        "CurrencyFilter? IncludeLineItems? IncludeLinkedTxns? IncludeRetElement* OwnerID*"
    ),
    "InvoiceModRq": "InvoiceMod IncludeRetElement*",
    "InvoiceMod": (
        "TxnID EditSequence CustomerRef? ClassRef? ARAccountRef? TemplateRef? TxnDate? "
        "RefNumber? BillAddress? ShipAddress? IsPending? PONumber? TermsRef? DueDate? "
        "SalesRepRef? FOB? ShipDate? ShipMethodRef? ItemSalesTaxRef? Memo? "
        "CustomerMsgRef? IsToBePrinted? IsToBeEmailed? IsTaxIncluded? "
        "CustomerSalesTaxCodeRef? Other? ExchangeRate? SetCredit* InvoiceLineMod* "
        "InvoiceLineGroupMod*"
    ),
    "InvoiceLineMod": (
        "TxnLineID ItemRef? Desc? Quantity? UnitOfMeasure? OverrideUOMSetRef? Rate? "
        "RatePercent? PriceLevelRef? ClassRef? Amount? TaxAmount? "
        "OptionForPriceRuleConflict? InventorySiteRef? InventorySiteLocationRef? "
        "SerialNumber? LotNumber? ServiceDate? SalesTaxCodeRef? OverrideItemAccountRef? "
        "Other1? Other2?"
    ),
    "InvoiceQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? RefNumberFilter? "
        "RefNumberRangeFilter? CurrencyFilter? PaidStatus? IncludeLineItems? "
        "IncludeLinkedTxns? IncludeRetElement* OwnerID*"
    ),
    "ReceivePaymentAddRq": "ReceivePaymentAdd IncludeRetElement*",
    "ReceivePaymentAdd": (
        "CustomerRef ARAccountRef? TxnDate? RefNumber? TotalAmount? ExchangeRate? "
        "PaymentMethodRef? Memo? DepositToAccountRef? CreditCardTxnInfo? ExternalGUID? "
        "IsAutoApply? AppliedToTxnAdd*"
    ),
    "AppliedToTxnAdd": (
        "TxnID PaymentAmount? TxnLineDetail* SetCredit* DiscountAmount? "
        "DiscountAccountRef? DiscountClassRef?"
    ),
    "ReceivePaymentModRq": "ReceivePaymentMod IncludeRetElement*",
    "ReceivePaymentMod": (
        "TxnID EditSequence CustomerRef? ARAccountRef? TxnDate? RefNumber? TotalAmount? "
        "ExchangeRate? PaymentMethodRef? Memo? DepositToAccountRef? CreditCardTxnInfoMod? "
        "AppliedToTxnMod*"
    ),
    "AppliedToTxnMod": (
        "TxnID PaymentAmount? SetCredit* DiscountAmount? DiscountAccountRef? DiscountClassRef?"
    ),
    "ReceivePaymentQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? RefNumberFilter? "
        "RefNumberRangeFilter? CurrencyFilter? IncludeLineItems? IncludeRetElement* "
        "OwnerID*"
    ),
    "TxnDelRq": "TxnDelType TxnID",
    "TxnVoidRq": "TxnVoidType TxnID",
    "SalesOrPurchase": "Desc? Price? PricePercent? AccountRef?",
    "SalesOrPurchaseMod": "Desc? Price? PricePercent? AccountRef? ApplyAccountRefToExistingTxns?",
    "SalesAndPurchase": (
        "SalesDesc? SalesPrice? IncomeAccountRef? PurchaseDesc? PurchaseCost? "
        "PurchaseTaxCodeRef? ExpenseAccountRef? PrefVendorRef?"
    ),
    "SalesAndPurchaseMod": (
        "SalesDesc? SalesPrice? IncomeAccountRef? ApplyIncomeAccountRefToExistingTxns? "
        "PurchaseDesc? PurchaseCost? PurchaseTaxCodeRef? ExpenseAccountRef? "
        "ApplyExpenseAccountRefToExistingTxns? PrefVendorRef?"
    ),
    "ModifiedDateRangeFilter": "FromModifiedDate? ToModifiedDate?",
    "TxnDateRangeFilter": "FromTxnDate? ToTxnDate? DateMacro?",
    "EntityFilter": "ListID* FullName* ListIDWithChildren? FullNameWithChildren?",
    "RefNumberFilter": "MatchCriterion RefNumber",
    "RefNumberRangeFilter": "FromRefNumber? ToRefNumber?",
    "NameFilter": "MatchCriterion Name",
    "NameRangeFilter": "FromName? ToName?",
    "BillAddress": "Addr1? Addr2? Addr3? Addr4? Addr5? City? State? PostalCode? Country? Note?",
    "InventorySiteAddRq": "InventorySiteAdd IncludeRetElement*",
    "InventorySiteAdd": (
        "Name IsActive? ParentSiteRef? SiteDesc? Contact? Phone? Fax? Email? SiteAddress?"
    ),
    "InventorySiteQueryRq": (
        "ListID* FullName* ActiveStatus? FromModifiedDate? ToModifiedDate? NameFilter? "
        "NameRangeFilter? IncludeRetElement*"
    ),
    "ItemSitesQueryRq": (
        "ListID* ItemTypeFilter? ItemSiteFilter? MaxReturned? ActiveStatus? IncludeRetElement*"
    ),
    "ItemSiteFilter": "ItemFilter? SiteFilter?",
    "InventoryAdjustmentAddRq": "InventoryAdjustmentAdd IncludeRetElement*",
    "InventoryAdjustmentAdd": (
        "AccountRef TxnDate? RefNumber? InventorySiteRef? CustomerRef? ClassRef? Memo? "
        "ExternalGUID? InventoryAdjustmentLineAdd+"
    ),
    "InventoryAdjustmentLineAdd": (
        "ItemRef QuantityAdjustment? ValueAdjustment? SerialNumberAdjustment? LotNumberAdjustment?"
    ),
    "QuantityAdjustment": (
        "NewQuantity? QuantityDifference? SerialNumber? LotNumber? InventorySiteLocationRef?"
    ),
    "TransferInventoryAddRq": "TransferInventoryAdd IncludeRetElement*",
    "TransferInventoryAdd": (
        "TxnDate? RefNumber? FromInventorySiteRef ToInventorySiteRef Memo? ExternalGUID? "
        "TransferInventoryLineAdd*"
    ),
    "TransferInventoryLineAdd": (
        "ItemRef? FromInventorySiteLocationRef? ToInventorySiteLocationRef? "
        "QuantityToTransfer? SerialNumber? LotNumber?"
    ),
    "PurchaseOrderAddRq": "PurchaseOrderAdd IncludeRetElement*",
    "PurchaseOrderAdd": (
        "VendorRef? ClassRef? InventorySiteRef? ShipToEntityRef? TemplateRef? TxnDate? "
        "RefNumber? VendorAddress? ShipAddress? TermsRef? DueDate? ExpectedDate? "
        "ShipMethodRef? FOB? Memo? VendorMsg? IsToBePrinted? IsToBeEmailed? "
        "IsTaxIncluded? SalesTaxCodeRef? Other1? Other2? ExchangeRate? ExternalGUID? "
        "PurchaseOrderLineAdd* PurchaseOrderLineGroupAdd*"
    ),
    "PurchaseOrderLineAdd": (
        "ItemRef? ManufacturerPartNumber? Desc? Quantity? UnitOfMeasure? Rate? ClassRef? "
        "Amount? TaxAmount? InventorySiteLocationRef? CustomerRef? ServiceDate? "
        "SalesTaxCodeRef? OverrideItemAccountRef? Other1? Other2? DataExt*"
    ),
    "ItemReceiptAddRq": "ItemReceiptAdd IncludeRetElement*",
    "ItemReceiptAdd": (
        "VendorRef APAccountRef? TxnDate? RefNumber? Memo? IsTaxIncluded? "
        "SalesTaxCodeRef? ExchangeRate? ExternalGUID? LinkToTxnID* ExpenseLineAdd* "
        "ItemLineAdd* ItemGroupLineAdd*"
    ),
    "ItemLineAdd": (
        "ItemRef? InventorySiteRef? InventorySiteLocationRef? SerialNumber? LotNumber? "
        "Desc? Quantity? UnitOfMeasure? Cost? Amount? TaxAmount? CustomerRef? ClassRef? "
        "SalesTaxCodeRef? BillableStatus? OverrideItemAccountRef? LinkToTxn? SalesRepRef? "
        "DataExt*"
    ),
    "CreditMemoAddRq": "CreditMemoAdd IncludeRetElement*",
    "CreditMemoAdd": (
        "CustomerRef ClassRef? ARAccountRef? TemplateRef? TxnDate? RefNumber? "
        "BillAddress? ShipAddress? IsPending? PONumber? TermsRef? DueDate? SalesRepRef? "
        "FOB? ShipDate? ShipMethodRef? ItemSalesTaxRef? Memo? CustomerMsgRef? "
        "IsToBePrinted? IsToBeEmailed? IsTaxIncluded? CustomerSalesTaxCodeRef? Other? "
        "ExchangeRate? ExternalGUID? CreditMemoLineAdd* CreditMemoLineGroupAdd* "
        "DiscountLineAdd? SalesTaxLineAdd? ShippingLineAdd?"
    ),
    "CreditMemoLineAdd": (
        "ItemRef? Desc? Quantity? UnitOfMeasure? Rate? RatePercent? PriceLevelRef? "
        "ClassRef? Amount? TaxAmount? InventorySiteRef? InventorySiteLocationRef? "
        "SerialNumber? LotNumber? ServiceDate? SalesTaxCodeRef? IsTaxable? "
        "OverrideItemAccountRef? Other1? Other2? CreditCardTxnInfo? DataExt*"
    ),
    "DepositAddRq": "DepositAdd IncludeRetElement*",
    "DepositAdd": (
        "TxnDate? DepositToAccountRef Memo? CashBackInfoAdd? CurrencyRef? ExchangeRate? "
        "ExternalGUID? DepositLineAdd*"
    ),
    "DepositLineAdd": (
        "PaymentTxnID? PaymentTxnLineID? OverrideMemo? OverrideCheckNumber? "
        "OverrideClassRef? EntityRef? AccountRef? Memo? CheckNumber? PaymentMethodRef? "
        "ClassRef? Amount?"
    ),
    "ListDeletedQueryRq": "ListDelType+ DeletedDateRangeFilter? IncludeRetElement*",
    "TxnDeletedQueryRq": "TxnDelType+ DeletedDateRangeFilter? IncludeRetElement*",
    "DeletedDateRangeFilter": "FromDeletedDate? ToDeletedDate?",
    "VendorAddRq": "VendorAdd IncludeRetElement*",
    "VendorAdd": (
        "Name IsActive? ClassRef? CompanyName? Salutation? FirstName? MiddleName? "
        "LastName? Suffix? JobTitle? VendorAddress? ShipAddress? Phone? Mobile? Pager? "
        "AltPhone? Fax? Email? Cc? Contact? AltContact? AdditionalContactRef* Contacts* "
        "NameOnCheck? AccountNumber? Notes? AdditionalNotes* VendorTypeRef? TermsRef? "
        "CreditLimit? VendorTaxIdent? IsVendorEligibleFor1099? OpenBalance? "
        "OpenBalanceDate? BillingRateRef? ExternalGUID? SalesTaxCodeRef? SalesTaxCountry? "
        "IsSalesTaxAgency? SalesTaxReturnRef? TaxRegistrationNumber? ReportingPeriod? "
        "IsTaxTrackedOnPurchases? TaxOnPurchasesAccountRef? IsTaxTrackedOnSales? "
        "TaxOnSalesAccountRef? IsTaxOnTax? PrefillAccountRef* CurrencyRef?"
    ),
    "VendorModRq": "VendorMod IncludeRetElement*",
    "VendorMod": (
        "ListID EditSequence Name? IsActive? ClassRef? CompanyName? Salutation? "
        "FirstName? MiddleName? LastName? Suffix? JobTitle? VendorAddress? ShipAddress? "
        "Phone? Mobile? Pager? AltPhone? Fax? Email? Cc? Contact? AltContact? "
        "AdditionalContactRef* ContactsMod* NameOnCheck? AccountNumber? Notes? "
        "AdditionalNotesMod* VendorTypeRef? TermsRef? CreditLimit? VendorTaxIdent? "
        "IsVendorEligibleFor1099? BillingRateRef? SalesTaxCodeRef? SalesTaxCountry? "
        "IsSalesTaxAgency? SalesTaxReturnRef? TaxRegistrationNumber? ReportingPeriod? "
        "IsTaxTrackedOnPurchases? TaxOnPurchasesAccountRef? IsTaxTrackedOnSales? "
        "TaxOnSalesAccountRef? IsTaxOnTax? PrefillAccountRef* CurrencyRef?"
    ),
    "VendorQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? TotalBalanceFilter? CurrencyFilter? ClassFilter? "
        "IncludeRetElement* OwnerID*"
    ),
    "CreditMemoQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? RefNumberFilter? "
        "RefNumberRangeFilter? CurrencyFilter? IncludeLineItems? IncludeLinkedTxns? "
        "IncludeRetElement* OwnerID*"
    ),
    "InventoryAdjustmentQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? ItemFilter? RefNumberFilter? "
        "RefNumberRangeFilter? IncludeLineItems? IncludeRetElement* OwnerID*"
    ),
    "PurchaseOrderQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? RefNumberFilter? "
        "RefNumberRangeFilter? CurrencyFilter? IncludeLineItems? IncludeLinkedTxns? "
        "IncludeRetElement* OwnerID*"
    ),
    "ItemReceiptQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? RefNumberFilter? "
        "RefNumberRangeFilter? CurrencyFilter? IncludeLineItems? IncludeLinkedTxns? "
        "IncludeRetElement* OwnerID*"
    ),
    "DepositQueryRq": (
        "TxnID* MaxReturned? ModifiedDateRangeFilter? TxnDateRangeFilter? EntityFilter? "
        "AccountFilter? CurrencyFilter? IncludeLineItems? IncludeRetElement* OwnerID*"
    ),
    "TransferInventoryQueryRq": (
        "TxnID* RefNumber* RefNumberCaseSensitive* MaxReturned? ModifiedDateRangeFilter? "
        "TxnDateRangeFilter? EntityFilter? AccountFilter? RefNumberFilter? "
        "RefNumberRangeFilter? SiteFilter? IncludeLineItems? IncludeRetElement*"
    ),
    "ListDelRq": "ListDelType ListID",
    "ItemFilter": "ListID* FullName* ListIDWithChildren? FullNameWithChildren?",
    "SiteFilter": "ListID* FullName*",
    "ItemSalesTaxAddRq": "ItemSalesTaxAdd IncludeRetElement*",
    "ItemSalesTaxAdd": (
        "Name BarCode? IsActive? ClassRef? ItemDesc? TaxRate? TaxVendorRef? "
        "SalesTaxReturnLineRef? ExternalGUID?"
    ),
    "ItemSalesTaxQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? ClassFilter? IncludeRetElement* OwnerID*"
    ),
    "ItemSalesTaxModRq": "ItemSalesTaxMod IncludeRetElement*",
    "ItemSalesTaxMod": (
        "ListID EditSequence Name? BarCode? IsActive? ClassRef? ItemDesc? TaxRate? "
        "TaxVendorRef? SalesTaxReturnLineRef?"
    ),
    "ItemQueryRq": (
        "ListID* FullName* MaxReturned? ActiveStatus? FromModifiedDate? ToModifiedDate? "
        "NameFilter? NameRangeFilter? IncludeRetElement* OwnerID*"
    ),
    # Data extensions (qbxml130 DataExtDefAdd, DataExtAdd/Mod/Del; the choice of list
    # object, transaction or company flattened: wire.REQUIRED_CHOICES and PAIRED check it).
    "DataExtDefAddRq": "DataExtDefAdd IncludeRetElement*",
    "DataExtDefAdd": (
        "OwnerID DataExtName DataExtType AssignToObject* DataExtListRequire? "
        "DataExtTxnRequire? DataExtFormatString?"
    ),
    "DataExtDefQueryRq": "OwnerID* AssignToObject* IncludeRetElement*",
    "DataExtAddRq": "DataExtAdd",
    "DataExtAdd": (
        "OwnerID DataExtName ListDataExtType? ListObjRef? TxnDataExtType? TxnID? TxnLineID? "
        "OtherDataExtType? DataExtValue"
    ),
    "DataExtModRq": "DataExtMod",
    "DataExtDelRq": "DataExtDel",
    "DataExtDel": (
        "OwnerID DataExtName ListDataExtType? ListObjRef? TxnDataExtType? TxnID? TxnLineID? "
        "OtherDataExtType?"
    ),
}
REQUEST_ORDER["ShipAddress"] = REQUEST_ORDER["BillAddress"]
REQUEST_ORDER["DataExtMod"] = REQUEST_ORDER["DataExtAdd"]

#: Return aggregates, in the order the renderers must write them.
RET_ORDER: dict[str, str] = {
    "DataExtRet": "OwnerID? DataExtName DataExtType DataExtValue",
    "DataExtDefRet": (
        "OwnerID? DataExtID DataExtName? DataExtType? AssignToObject* DataExtListRequire "
        "DataExtTxnRequire DataExtFormatString"
    ),
    "DataExtDelRet": (
        "OwnerID DataExtName ListDataExtType? ListObjRef? TxnDataExtType? TxnID? TxnLineID? "
        "OtherDataExtType? TimeDeleted?"
    ),
    "TemplateRet": "ListID? TimeCreated? TimeModified? EditSequence? Name? IsActive? TemplateType?",
    "ClassRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? FullName? IsActive? ParentRef? "
        "Sublevel?"
    ),
    # qbxml130 EmployeeRet without the aggregates the fake does not keep (SupervisorRef,
    # TargetBonus, contacts, AdditionalNotesRet, BillingRateRef, EmployeePayrollInfo):
    # what an EmployeeAdd sets of them is accepted and not returned.
    "EmployeeRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? IsActive? Salutation? "
        "FirstName? MiddleName? LastName? Suffix? JobTitle? Department? Description? "
        "EmployeeAddress? PrintAs? Phone? Mobile? Pager? PagerPIN? AltPhone? Fax? SSN? "
        "Email? EmployeeType? PartOrFullTime? Exempt? KeyEmployee? Gender? HiredDate? "
        "OriginalHireDate? AdjustedServiceDate? ReleasedDate? BirthDate? USCitizen? "
        "Ethnicity? Disabled? DisabilityDesc? OnFile? WorkAuthExpireDate? USVeteran? "
        "MilitaryStatus? AccountNumber? Notes? ExternalGUID? DataExtRet*"
    ),
    "StandardTermsRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? IsActive? StdDueDays? "
        "StdDiscountDays? DiscountPct?"
    ),
    "CustomerRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? FullName? IsActive? "
        "ClassRef? ParentRef? Sublevel? CompanyName? Salutation? FirstName? MiddleName? "
        "LastName? Suffix? JobTitle? BillAddress? BillAddressBlock? ShipAddress? "
        "ShipAddressBlock? ShipToAddress* PrintAs? Phone? Mobile? Pager? AltPhone? Fax? "
        "Email? Cc? Contact? AltContact? AdditionalContactRef* ContactsRet* "
        "CustomerTypeRef? TermsRef? SalesRepRef? Balance? TotalBalance? SalesTaxCodeRef? "
        "ItemSalesTaxRef? SalesTaxCountry? ResaleNumber? AccountNumber? CreditLimit? "
        "PreferredPaymentMethodRef? CreditCardInfo? JobStatus? JobStartDate? "
        "JobProjectedEndDate? JobEndDate? JobDesc? JobTypeRef? Notes? AdditionalNotesRet* "
        "IsStatementWithParent? DeliveryMethod? PreferredDeliveryMethod? PriceLevelRef? "
        "ExternalGUID? TaxRegistrationNumber? CurrencyRef? DataExtRet*"
    ),
    "AccountRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? FullName? IsActive? "
        "ParentRef? Sublevel? AccountType? DetailAccountType? SpecialAccountType? "
        "IsTaxAccount? AccountNumber? BankNumber? LastCheckNumber? Desc? Balance? "
        "TotalBalance? SalesTaxCodeRef? TaxLineInfoRet? CashFlowClassification? "
        "CurrencyRef? DataExtRet*"
    ),
    "ItemServiceRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? FullName? BarCodeValue? "
        "IsActive? ClassRef? ParentRef? Sublevel? UnitOfMeasureSetRef? IsTaxIncluded? "
        "SalesTaxCodeRef? SalesOrPurchase? SalesAndPurchase? ExternalGUID? DataExtRet*"
    ),
    "ItemNonInventoryRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? FullName? BarCodeValue? "
        "IsActive? ClassRef? ParentRef? Sublevel? ManufacturerPartNumber? "
        "UnitOfMeasureSetRef? IsTaxIncluded? SalesTaxCodeRef? SalesOrPurchase? "
        "SalesAndPurchase? ExternalGUID? DataExtRet*"
    ),
    "ItemInventoryRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? FullName? BarCodeValue? "
        "IsActive? ClassRef? ParentRef? Sublevel? ManufacturerPartNumber? "
        "UnitOfMeasureSetRef? IsTaxIncluded? SalesTaxCodeRef? SalesDesc? SalesPrice? "
        "IncomeAccountRef? PurchaseDesc? PurchaseCost? PurchaseTaxCodeRef? "
        "COGSAccountRef? PrefVendorRef? AssetAccountRef? ReorderPoint? Max? "
        "QuantityOnHand? AverageCost? QuantityOnOrder? QuantityOnSalesOrder? "
        "ExternalGUID? DataExtRet*"
    ),
    "PaymentMethodRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? IsActive? PaymentMethodType?"
    ),
    "SalesTaxCodeRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? IsActive? IsTaxable? "
        "Desc? ItemPurchaseTaxRef? ItemSalesTaxRef?"
    ),
    "InvoiceRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? CustomerRef? "
        "ClassRef? ARAccountRef? TemplateRef? TxnDate? RefNumber? BillAddress? "
        "BillAddressBlock? ShipAddress? ShipAddressBlock? IsPending? IsFinanceCharge? "
        "PONumber? TermsRef? DueDate? SalesRepRef? FOB? ShipDate? ShipMethodRef? "
        "Subtotal? ItemSalesTaxRef? SalesTaxPercentage? SalesTaxTotal? AppliedAmount? "
        "BalanceRemaining? CurrencyRef? ExchangeRate? BalanceRemainingInHomeCurrency? "
        "Memo? IsPaid? CustomerMsgRef? IsToBePrinted? IsToBeEmailed? IsTaxIncluded? "
        "CustomerSalesTaxCodeRef? SuggestedDiscountAmount? SuggestedDiscountDate? Other? "
        "ExternalGUID? LinkedTxn* InvoiceLineRet* InvoiceLineGroupRet* DiscountLineRet? "
        "SalesTaxLineRet? ShippingLineRet? DataExtRet*"
    ),
    "BillRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? VendorRef? "
        "VendorAddress? APAccountRef? TxnDate? DueDate? AmountDue? CurrencyRef? ExchangeRate? "
        "AmountDueInHomeCurrency? RefNumber? TermsRef? Memo? IsTaxIncluded? SalesTaxCodeRef? "
        "IsPaid? ExternalGUID? LinkedTxn* ExpenseLineRet* ItemLineRet* ItemGroupLineRet* "
        "OpenAmount? DataExtRet*"
    ),
    "CheckRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? AccountRef? "
        "PayeeEntityRef? RefNumber? TxnDate? Amount? CurrencyRef? ExchangeRate? "
        "AmountInHomeCurrency? Memo? Address? AddressBlock? IsToBePrinted? IsTaxIncluded? "
        "SalesTaxCodeRef? ExternalGUID? LinkedTxn* ExpenseLineRet* ItemLineRet* "
        "ItemGroupLineRet* DataExtRet*"
    ),
    "BillPaymentCheckRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? PayeeEntityRef? "
        "APAccountRef? TxnDate? BankAccountRef? Amount? CurrencyRef? ExchangeRate? "
        "AmountInHomeCurrency? RefNumber? Memo? Address? AddressBlock? IsToBePrinted? "
        "ExternalGUID? AppliedToTxnRet* DataExtRet*"
    ),
    "ExpenseLineRet": (
        "TxnLineID AccountRef? Amount? TaxAmount? Memo? CustomerRef? ClassRef? "
        "SalesTaxCodeRef? BillableStatus? SalesRepRef? DataExtRet*"
    ),
    "SalesReceiptRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? CustomerRef? ClassRef? "
        "TemplateRef? TxnDate? RefNumber? BillAddress? BillAddressBlock? ShipAddress? "
        "ShipAddressBlock? IsPending? CheckNumber? PaymentMethodRef? DueDate? SalesRepRef? "
        "ShipDate? ShipMethodRef? FOB? Subtotal? ItemSalesTaxRef? SalesTaxPercentage? "
        "SalesTaxTotal? TotalAmount? CurrencyRef? ExchangeRate? TotalAmountInHomeCurrency? "
        "Memo? CustomerMsgRef? IsToBePrinted? IsToBeEmailed? IsTaxIncluded? "
        "CustomerSalesTaxCodeRef? DepositToAccountRef? CreditCardTxnInfo? Other? "
        "ExternalGUID? SalesReceiptLineRet* SalesReceiptLineGroupRet* DiscountLineRet? "
        "SalesTaxLineRet? ShippingLineRet? DataExtRet*"
    ),
    "SalesReceiptLineRet": (
        "TxnLineID ItemRef? Desc? Quantity? UnitOfMeasure? OverrideUOMSetRef? Rate? "
        "RatePercent? ClassRef? Amount? TaxAmount? InventorySiteRef? "
        "InventorySiteLocationRef? SerialNumber? LotNumber? ServiceDate? SalesTaxCodeRef? "
        "IsTaxable? Other1? Other2? CreditCardTxnInfo? DataExtRet*"
    ),
    "EstimateRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? CustomerRef? ClassRef? "
        "TemplateRef? TxnDate? RefNumber? BillAddress? BillAddressBlock? ShipAddress? "
        "ShipAddressBlock? IsActive? PONumber? TermsRef? DueDate? SalesRepRef? FOB? Subtotal? "
        "ItemSalesTaxRef? SalesTaxPercentage? SalesTaxTotal? TotalAmount? CurrencyRef? "
        "ExchangeRate? TotalAmountInHomeCurrency? Memo? CustomerMsgRef? IsToBeEmailed? "
        "IsTaxIncluded? CustomerSalesTaxCodeRef? Other? ExternalGUID? LinkedTxn* "
        "EstimateLineRet* EstimateLineGroupRet* DataExtRet*"
    ),
    "EstimateLineRet": (
        "TxnLineID ItemRef? Desc? Quantity? UnitOfMeasure? OverrideUOMSetRef? Rate? "
        "RatePercent? ClassRef? Amount? TaxAmount? InventorySiteRef? "
        "InventorySiteLocationRef? SalesTaxCodeRef? MarkupRate? MarkupRatePercent? Other1? "
        "Other2? DataExtRet*"
    ),
    "SalesOrderRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? CustomerRef? ClassRef? "
        "TemplateRef? TxnDate? RefNumber? BillAddress? BillAddressBlock? ShipAddress? "
        "ShipAddressBlock? PONumber? TermsRef? DueDate? SalesRepRef? FOB? ShipDate? "
        "ShipMethodRef? Subtotal? ItemSalesTaxRef? SalesTaxPercentage? SalesTaxTotal? "
        "TotalAmount? CurrencyRef? ExchangeRate? TotalAmountInHomeCurrency? IsManuallyClosed? "
        "IsFullyInvoiced? Memo? CustomerMsgRef? IsToBePrinted? IsToBeEmailed? IsTaxIncluded? "
        "CustomerSalesTaxCodeRef? Other? ExternalGUID? LinkedTxn* SalesOrderLineRet* "
        "SalesOrderLineGroupRet* DataExtRet*"
    ),
    "SalesOrderLineRet": (
        "TxnLineID ItemRef? Desc? Quantity? UnitOfMeasure? OverrideUOMSetRef? Rate? "
        "RatePercent? ClassRef? Amount? TaxAmount? InventorySiteRef? "
        "InventorySiteLocationRef? SerialNumber? LotNumber? SalesTaxCodeRef? Invoiced? "
        "IsManuallyClosed? Other1? Other2? DataExtRet*"
    ),
    "InvoiceLineRet": (
        "TxnLineID ItemRef? Desc? Quantity? UnitOfMeasure? OverrideUOMSetRef? Rate? "
        "RatePercent? ClassRef? Amount? TaxAmount? InventorySiteRef? "
        "InventorySiteLocationRef? SerialNumber? LotNumber? ServiceDate? SalesTaxCodeRef? "
        "IsTaxable? Other1? Other2? DataExtRet*"
    ),
    "ReceivePaymentRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? CustomerRef? "
        "ARAccountRef? TxnDate? RefNumber? TotalAmount? CurrencyRef? ExchangeRate? "
        "TotalAmountInHomeCurrency? PaymentMethodRef? Memo? DepositToAccountRef? "
        "CreditCardTxnInfo? UnusedPayment? UnusedCredits? ExternalGUID? AppliedToTxnRet* "
        "DataExtRet*"
    ),
    "AppliedToTxnRet": (
        "TxnID TxnType TxnDate? RefNumber? BalanceRemaining? Amount? TxnLineDetail* "
        "DiscountAmount? DiscountAccountRef? DiscountClassRef? LinkedTxn*"
    ),
    "HostRet": (
        "ProductName? MajorVersion? MinorVersion? Country? SupportedQBXMLVersion* "
        "IsAutomaticLogin? QBFileMode? ListMetaData?"
    ),
    "CompanyRet": (
        "IsSampleCompany? CompanyName? LegalCompanyName? Address? AddressBlock? "
        "LegalAddress? CompanyAddressForCustomer? CompanyAddressBlockForCustomer? Phone? "
        "Fax? Email? CompanyEmailForCustomer? CompanyWebSite? FirstMonthFiscalYear? "
        "FirstMonthIncomeTaxYear? CompanyType? EIN? SSN? TaxForm? SubscribedServices? "
        "AccountantCopy? DataExtRet*"
    ),
    "InventorySiteRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? IsActive? ParentSiteRef? "
        "IsDefaultSite? SiteDesc? Contact? Phone? Fax? Email? SiteAddress? "
        "SiteAddressBlock?"
    ),
    "ItemSitesRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? ItemInventoryAssemblyRef? "
        "ItemInventoryRef? InventorySiteRef? InventorySiteLocationRef? ReorderLevel? "
        "QuantityOnHand? QuantityOnPurchaseOrders? QuantityOnSalesOrders? "
        "QuantityToBeBuiltByPendingBuildTxns? QuantityRequiredByPendingBuildTxns? "
        "QuantityOnPendingTransfers? AssemblyBuildPoint?"
    ),
    "InventoryAdjustmentRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? AccountRef? "
        "InventorySiteRef? TxnDate? RefNumber? CustomerRef? ClassRef? Memo? ExternalGUID? "
        "InventoryAdjustmentLineRet* DataExtRet*"
    ),
    "InventoryAdjustmentLineRet": (
        "TxnLineID ItemRef SerialNumber? SerialNumberAddedOrRemoved? LotNumber? "
        "InventorySiteLocationRef? QuantityDifference ValueDifference"
    ),
    "TransferInventoryRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? TxnDate? RefNumber? "
        "FromInventorySiteRef? ToInventorySiteRef? Memo? ExternalGUID? "
        "TransferInventoryLineRet*"
    ),
    "TransferInventoryLineRet": (
        "TxnLineID ItemRef? FromInventorySiteLocationRef? ToInventorySiteLocationRef? "
        "QuantityTransferred? SerialNumber? LotNumber?"
    ),
    "PurchaseOrderRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? VendorRef? ClassRef? "
        "InventorySiteRef? ShipToEntityRef? TemplateRef? TxnDate? RefNumber? "
        "VendorAddress? VendorAddressBlock? ShipAddress? ShipAddressBlock? TermsRef? "
        "DueDate? ExpectedDate? ShipMethodRef? FOB? TotalAmount? CurrencyRef? "
        "ExchangeRate? TotalAmountInHomeCurrency? IsManuallyClosed? IsFullyReceived? "
        "Memo? VendorMsg? IsToBePrinted? IsToBeEmailed? IsTaxIncluded? SalesTaxCodeRef? "
        "Other1? Other2? ExternalGUID? LinkedTxn* PurchaseOrderLineRet* "
        "PurchaseOrderLineGroupRet* DataExtRet*"
    ),
    "PurchaseOrderLineRet": (
        "TxnLineID ItemRef? ManufacturerPartNumber? Desc? Quantity? UnitOfMeasure? "
        "OverrideUOMSetRef? Rate? ClassRef? Amount? TaxAmount? InventorySiteLocationRef? "
        "CustomerRef? ServiceDate? SalesTaxCodeRef? ReceivedQuantity? UnbilledQuantity? "
        "IsBilled? IsManuallyClosed? Other1? Other2? DataExtRet*"
    ),
    "ItemReceiptRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? VendorRef? "
        "APAccountRef? LiabilityAccountRef? TxnDate? TotalAmount? CurrencyRef? "
        "ExchangeRate? TotalAmountInHomeCurrency? RefNumber? Memo? IsTaxIncluded? "
        "SalesTaxCodeRef? ExternalGUID? LinkedTxn* ExpenseLineRet* ItemLineRet* "
        "ItemGroupLineRet* DataExtRet*"
    ),
    "ItemLineRet": (
        "TxnLineID ItemRef? InventorySiteRef? InventorySiteLocationRef? SerialNumber? "
        "LotNumber? Desc? Quantity? UnitOfMeasure? OverrideUOMSetRef? Cost? Amount? "
        "TaxAmount? CustomerRef? ClassRef? SalesTaxCodeRef? BillableStatus? SalesRepRef? "
        "DataExtRet*"
    ),
    "CreditMemoRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? CustomerRef? "
        "ClassRef? ARAccountRef? TemplateRef? TxnDate? RefNumber? BillAddress? "
        "BillAddressBlock? ShipAddress? ShipAddressBlock? IsPending? PONumber? TermsRef? "
        "DueDate? SalesRepRef? FOB? ShipDate? ShipMethodRef? Subtotal? ItemSalesTaxRef? "
        "SalesTaxPercentage? SalesTaxTotal? TotalAmount? CreditRemaining? CurrencyRef? "
        "ExchangeRate? CreditRemainingInHomeCurrency? Memo? CustomerMsgRef? "
        "IsToBePrinted? IsToBeEmailed? IsTaxIncluded? CustomerSalesTaxCodeRef? Other? "
        "ExternalGUID? LinkedTxn* CreditMemoLineRet* CreditMemoLineGroupRet* "
        "DiscountLineRet? SalesTaxLineRet? ShippingLineRet? DataExtRet*"
    ),
    "CreditMemoLineRet": (
        "TxnLineID ItemRef? Desc? Quantity? UnitOfMeasure? OverrideUOMSetRef? Rate? "
        "RatePercent? ClassRef? Amount? TaxAmount? InventorySiteRef? "
        "InventorySiteLocationRef? SerialNumber? LotNumber? ServiceDate? SalesTaxCodeRef? "
        "IsTaxable? Other1? Other2? CreditCardTxnInfo? DataExtRet*"
    ),
    "DepositRet": (
        "TxnID? TimeCreated? TimeModified? EditSequence? TxnNumber? TxnDate? "
        "DepositToAccountRef? Memo? DepositTotal? CurrencyRef? ExchangeRate? "
        "DepositTotalInHomeCurrency? CashBackInfoRet? ExternalGUID? DepositLineRet* "
        "DataExtRet*"
    ),
    "DepositLineRet": (
        "TxnType? TxnID? TxnLineID PaymentTxnLineID? EntityRef? AccountRef? Memo? "
        "CheckNumber? PaymentMethodRef? ClassRef? Amount?"
    ),
    "ListDeletedRet": "ListDelType? ListID? TimeCreated? TimeDeleted? FullName?",
    "TxnDeletedRet": "TxnDelType? TxnID? TimeCreated? TimeDeleted? RefNumber?",
    "VendorRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? IsActive? ClassRef? "
        "IsTaxAgency? CompanyName? Salutation? FirstName? MiddleName? LastName? Suffix? "
        "JobTitle? VendorAddress? VendorAddressBlock? ShipAddress? Phone? Mobile? Pager? "
        "AltPhone? Fax? Email? Cc? Contact? AltContact? AdditionalContactRef* "
        "ContactsRet* NameOnCheck? AccountNumber? Notes? AdditionalNotesRet* "
        "VendorTypeRef? TermsRef? CreditLimit? VendorTaxIdent? IsVendorEligibleFor1099? "
        "Balance? BillingRateRef? ExternalGUID? SalesTaxCodeRef? SalesTaxCountry? "
        "IsSalesTaxAgency? SalesTaxReturnRef? TaxRegistrationNumber? ReportingPeriod? "
        "IsTaxTrackedOnPurchases? TaxOnPurchasesAccountRef? IsTaxTrackedOnSales? "
        "TaxOnSalesAccountRef? IsTaxOnTax? PrefillAccountRef* CurrencyRef? DataExtRet*"
    ),
    "ItemSalesTaxRet": (
        "ListID? TimeCreated? TimeModified? EditSequence? Name? BarCodeValue? IsActive? "
        "ClassRef? ItemDesc? TaxRate? TaxVendorRef? SalesTaxReturnLineRef? ExternalGUID? "
        "DataExtRet*"
    ),
    "LinkedTxn": "TxnID TxnType TxnDate RefNumber? LinkType? Amount TxnLineDetail*",
}

#: The queries whose schema declares the iterator / iteratorID attributes (and only those:
#: AccountQuery, PaymentMethodQuery, InventorySiteQuery, SalesTaxCodeQuery, TxnDeletedQuery,
#: ListDeletedQuery have none; QBWC-FACTS.md).
ITERATOR_QUERIES = frozenset(
    [
        "ARRefundCreditCardQueryRq",
        "BarCodeQueryRq",
        "BillPaymentCheckQueryRq",
        "BillPaymentCreditCardQueryRq",
        "BillQueryRq",
        "BuildAssemblyQueryRq",
        "ChargeQueryRq",
        "CheckQueryRq",
        "CreditCardChargeQueryRq",
        "CreditCardCreditQueryRq",
        "CreditMemoQueryRq",
        "CustomerQueryRq",
        "DepositQueryRq",
        "EntityQueryRq",
        "EstimateQueryRq",
        "InventoryAdjustmentQueryRq",
        "InvoiceQueryRq",
        "ItemDiscountQueryRq",
        "ItemFixedAssetQueryRq",
        "ItemGroupQueryRq",
        "ItemInventoryAssemblyQueryRq",
        "ItemInventoryQueryRq",
        "ItemNonInventoryQueryRq",
        "ItemOtherChargeQueryRq",
        "ItemPaymentQueryRq",
        "ItemQueryRq",
        "ItemReceiptQueryRq",
        "ItemSalesTaxGroupQueryRq",
        "ItemSalesTaxQueryRq",
        "ItemServiceQueryRq",
        "ItemSitesQueryRq",
        "ItemSubtotalQueryRq",
        "JournalEntryQueryRq",
        "LeadQueryRq",
        "PurchaseOrderQueryRq",
        "ReceivePaymentQueryRq",
        "SalesOrderQueryRq",
        "SalesReceiptQueryRq",
        "SalesTaxPaymentCheckQueryRq",
        "TimeTrackingQueryRq",
        "TransactionQueryRq",
        "TransferInventoryQueryRq",
        "TransferQueryRq",
        "VehicleMileageQueryRq",
        "VendorCreditQueryRq",
        "VendorQueryRq",
    ]
)
