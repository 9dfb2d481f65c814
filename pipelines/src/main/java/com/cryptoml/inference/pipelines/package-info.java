/** See pipelines/README.md. */
package com.cryptoml.inference.pipelines;
