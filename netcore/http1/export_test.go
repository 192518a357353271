package http1

// ProtocolErrors lists every protocol error the package can return, so that
// the conformance test can check each is reached by some case.
var ProtocolErrors = []*ProtocolError{
	errLineTooLong, errHeadTooLarge, errTooManyHeaders, errBareLF, errBareCR, errEmptyLines,
	errRequestLine, errMethod, errTarget, errVersion, errVersionNotSupp, errObsFold,
	errHeaderName, errHeaderValue, errNoHost, errMultiHost, errBadHost, errCLAndTE, errBadCL,
	errMultiCL, errBadTE, errTENotChunked, errTEUnknown, errTEHTTP10, errBodyTooLarge,
	errChunkSize, errChunkTooLarge, errChunkExt, errChunkLineLong, errChunkCRLF,
	errChunkOverhead, errTrailerTooLarge, errTrailerCount,
}
