// What other features may use of src/privacy: exporting and erasing a buyer's data, and the retention
// period. How a feature describes what it holds is src/lib/buyer-data.ts: a feature's part imports only
// that, so privacy, which lists the parts, stands above the features it lists.
export { applyRetention, eraseBuyer, exportBuyer, setRetention, type BuyerExport, type ErasureResult } from './service.ts';
export { apiEraseBody, apiExportQuery } from './schemas.ts';
