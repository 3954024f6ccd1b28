/*
 * libbill: exact electricity billing and collection.
 *
 * The umbrella header: include this one. Each module has its own header
 * under bill/ with its documentation.
 */
#ifndef BILL_H
#define BILL_H

#include "bill/common.h"
#include "bill/errors.h"
#include "bill/decimal.h"
#include "bill/money.h"
#include "bill/date.h"
#include "bill/calendar.h"
#include "bill/powerfactor.h"
#include "bill/tariff.h"
#include "bill/whatif.h"
#include "bill/store.h"
#include "bill/registry.h"
#include "bill/meter.h"
#include "bill/metercsv.h"
#include "bill/determinants.h"
#include "bill/billing.h"
#include "bill/import.h"
#include "bill/verify.h"
#include "bill/batch.h"

#endif /* BILL_H */
