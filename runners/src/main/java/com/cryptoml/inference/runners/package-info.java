/** See runners/README.md. */
package com.cryptoml.inference.runners;
