/** See transforms/README.md. */
package com.cryptoml.inference.transforms;
